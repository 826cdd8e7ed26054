package io.tocsin.dispatcher.integration;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.tocsin.common.http.JsonBody;
import io.tocsin.dispatcher.routing.IntegrationMatcher;
import io.tocsin.schema.wire.FieldError;
import io.tocsin.schema.wire.InvalidRecordException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST}/{@code PUT /api/v1/integrations} and {@code POST /api/v1/integrations/test}. Read by
 * hand from the JSON tree ({@link #read}) so every problem is reported at once with its field's path
 * ({@code config.url}, {@code events[1]}), including unknown fields (a typo must not be silently ignored).
 */
@Serdeable
@Schema(name = "IntegrationRequest", description = "An integration as a client sends it")
public record IntegrationRequest(
        @Schema(description = "Human-readable, unique name (1-100 characters)", example = "ops") String name,
        @Schema(description = "Channel", example = "webhook") String service,
        @Schema(description = "Channel settings; secret ones (URLs with tokens, passwords, keys) are stored encrypted and returned as ********; "
                + "sending ******** in a PUT keeps the stored value", example = "{\"url\": \"https://hooks.example.org/...\"}")
        Map<String, String> config,
        @Nullable @Schema(description = "Clusters whose alarms it receives; empty = all") List<String> clusters,
        @Nullable @Schema(description = "All Events, All Warning Events, All Critical Events or categories; empty = All Events") List<String> events,
        @Nullable @Schema(description = "Default true") Boolean enabled,
        @Nullable @Schema(description = "Deliver ENDED events too; default true") Boolean sendEnded,
        @Nullable @Schema(description = "Deliver the alarms open at creation first; default false") Boolean backfill) {

    static final int MAX_NAME = 100;
    static final int MAX_SETTING = 8192;
    private static final Set<String> FIELDS = Set.of("name", "service", "config", "clusters", "events", "enabled", "sendEnded", "backfill");

    /** Parses and checks the body's shape; the channel settings are checked by their notifier afterwards. */
    public static IntegrationRequest read(byte[] body) {
        JsonNode root = JsonBody.readObject(body, "name, service and config");
        List<FieldError> errors = new ArrayList<>();
        JsonBody.rejectUnknownFields(root, FIELDS, "an integration", errors);
        String name = JsonBody.text(root, "name", errors, true);
        if (name != null && (name.isBlank() || name.length() > MAX_NAME)) {
            errors.add(new FieldError("name", "must be 1 to " + MAX_NAME + " characters"));
        }
        String service = JsonBody.text(root, "service", errors, true);
        Map<String, String> config = new LinkedHashMap<>();
        JsonNode configNode = root.get("config");
        if (configNode != null && !configNode.isNull()) {
            if (!configNode.isObject()) {
                errors.add(new FieldError("config", "must be an object of settings"));
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it = configNode.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> setting = it.next();
                    JsonNode value = setting.getValue();
                    if (!value.isValueNode() || value.isNull()) {
                        errors.add(new FieldError("config." + setting.getKey(), "must be a string, number or boolean"));
                    } else if (value.asText().length() > MAX_SETTING) {
                        errors.add(new FieldError("config." + setting.getKey(), "must be at most " + MAX_SETTING + " characters"));
                    } else {
                        config.put(setting.getKey(), value.asText());
                    }
                }
            }
        }
        List<String> clusters = strings(root, "clusters", errors);
        List<String> events = strings(root, "events", errors);
        if (events != null) {
            for (int i = 0; i < events.size(); i++) {
                if (!IntegrationMatcher.knownEventFilter(events.get(i))) {
                    errors.add(new FieldError("events[" + i + "]", "must be All Events, All Warning Events, All Critical Events or a category "
                            + "(Network, CMON Database, Mail, Cluster, Cluster Configuration, Cluster Recovery, Node, Host, "
                            + "Database Health, Database Performance, Software Installation, Backup)"));
                }
            }
        }
        Boolean enabled = bool(root, "enabled", errors);
        Boolean sendEnded = bool(root, "sendEnded", errors);
        Boolean backfill = bool(root, "backfill", errors);
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
        return new IntegrationRequest(name.trim(), service.trim(), config, clusters, events, enabled, sendEnded, backfill);
    }

    private static List<String> strings(JsonNode root, String field, List<FieldError> errors) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            errors.add(new FieldError(field, "must be an array of strings"));
            return null;
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual() || node.get(i).asText().isBlank()) {
                errors.add(new FieldError(field + "[" + i + "]", "must be a non-empty string"));
            } else {
                values.add(node.get(i).asText().trim());
            }
        }
        return values;
    }

    private static Boolean bool(JsonNode root, String field, List<FieldError> errors) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            errors.add(new FieldError(field, "must be true or false"));
            return null;
        }
        return node.asBoolean();
    }
}
