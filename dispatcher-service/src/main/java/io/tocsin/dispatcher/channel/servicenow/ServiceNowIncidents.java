package io.tocsin.dispatcher.channel.servicenow;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.dispatcher.channel.AlarmText;
import io.tocsin.dispatcher.channel.JsonBodies;
import io.tocsin.dispatcher.channel.ServiceAnswers;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.HttpOutcome;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.schema.AlarmEvent;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Incident mode: opens and resolves incidents through the Table API
 * (<a href="https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html">Table API</a>),
 * keeping no state: the incident is found again by its {@code correlation_id} ({@link CorrelationId}), so a restart
 * or a retry loses nothing.
 *
 * <ul>
 *   <li>Open: {@code GET /api/now/table/incident?sysparm_query=correlation_id=<id>^active=true}; when an active
 *       incident already has the id (an earlier attempt whose answer was lost, a redelivery), nothing more is sent;
 *       otherwise {@code POST /api/now/table/incident} with the short description, description, impact and
 *       urgency (CRITICAL 1/1 → priority 1, WARNING 2/2 → priority 3, test notification 3/3 → priority 5),
 *       {@code correlation_id}, {@code correlation_display: Tocsin} and the optional assignment group.</li>
 *   <li>Resolve: the same GET, then {@code PATCH /api/now/table/incident/<sys_id>} of each active incident found
 *       with {@code state 6} (Resolved), the configured {@code close_code} and {@code close_notes}. No active
 *       incident (closed by hand, or never opened) is nothing to do: delivered.</li>
 * </ul>
 *
 * <p>Error contract: never throws; the first failing request's result is returned (see {@link ServiceNowAnswer}).
 */
final class ServiceNowIncidents {

    static final String TABLE = "/api/now/table/incident";
    /** The base system's length of {@code short_description}. */
    static final int MAX_SHORT_DESCRIPTION = 160;
    /** The base system's length of {@code description}. */
    static final int MAX_DESCRIPTION = 4_000;
    static final String RESOLVED = "6";

    private final JsonHttpSender sender;

    ServiceNowIncidents(JsonHttpSender sender) {
        this.sender = sender;
    }

    DeliveryResult open(AlarmEvent event, ServiceNowSettings settings, List<String> secrets) {
        String correlationId = CorrelationId.of(event.getAlarmKey());
        Lookup open = find(correlationId, settings, secrets);
        if (open.failure() != null) {
            return open.failure();
        }
        if (!open.sysIds().isEmpty()) {
            return DeliveryResult.Delivered.INSTANCE;
        }
        HttpOutcome created = send("POST", settings, TABLE + "?sysparm_fields=sys_id,number", createBody(event, correlationId, settings));
        if (!created.succeeded()) {
            return ServiceNowAnswer.failure(created, secrets, Instant.now());
        }
        JsonNode body = ServiceAnswers.json(created);
        boolean hasRecord = !body.path("result").path("sys_id").asText("").isEmpty();
        return hasRecord ? DeliveryResult.Delivered.INSTANCE : ServiceNowAnswer.unexpected(created, "the created incident");
    }

    DeliveryResult resolve(AlarmEvent event, ServiceNowSettings settings, List<String> secrets) {
        Lookup open = find(CorrelationId.of(event.getAlarmKey()), settings, secrets);
        if (open.failure() != null) {
            return open.failure();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", RESOLVED);
        body.put("close_code", settings.closeCode());
        body.put("close_notes", "Resolved by Tocsin: the alarm " + event.getAlarmKey() + " ended at " + event.getEventTime() + ".");
        for (String sysId : open.sysIds()) {
            HttpOutcome patched = send("PATCH", settings, TABLE + "/" + sysId + "?sysparm_fields=sys_id,state", body);
            if (!patched.succeeded()) {
                return ServiceNowAnswer.failure(patched, secrets, Instant.now());
            }
        }
        return DeliveryResult.Delivered.INSTANCE;
    }

    /** The sys_ids of the active incidents with {@code correlationId}, or the failure of the lookup. */
    record Lookup(List<String> sysIds, DeliveryResult failure) {
    }

    Lookup find(String correlationId, ServiceNowSettings settings, List<String> secrets) {
        String query = "correlation_id=" + correlationId + "^active=true";
        HttpOutcome found = send("GET", settings, TABLE + "?sysparm_query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&sysparm_fields=sys_id,number,state&sysparm_limit=10", null);
        if (!found.succeeded()) {
            return new Lookup(List.of(), ServiceNowAnswer.failure(found, secrets, Instant.now()));
        }
        JsonNode body = ServiceAnswers.json(found);
        if (!body.path("result").isArray()) {
            return new Lookup(List.of(), ServiceNowAnswer.unexpected(found, "a list of incidents"));
        }
        List<String> sysIds = new ArrayList<>();
        for (JsonNode record : body.path("result")) {
            String sysId = record.path("sys_id").asText("");
            if (!sysId.matches("[0-9A-Za-z]{1,64}")) {
                return new Lookup(List.of(), ServiceNowAnswer.unexpected(found, "a valid sys_id"));
            }
            sysIds.add(sysId);
        }
        return new Lookup(sysIds, null);
    }

    static Map<String, Object> createBody(AlarmEvent event, String correlationId, ServiceNowSettings settings) {
        AlarmText text = AlarmText.of(event, settings.linkTemplate());
        String level = ServiceNowNotifier.isTest(event) ? "3" : switch (event.getSeverity()) {
            case CRITICAL -> "1";
            case WARNING -> "2";
        };
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("short_description", AlarmText.truncate(text.headline(), MAX_SHORT_DESCRIPTION));
        body.put("description", AlarmText.truncate(text.render(s -> s, s -> s), MAX_DESCRIPTION));
        body.put("impact", level);
        body.put("urgency", level);
        body.put("correlation_id", correlationId);
        body.put("correlation_display", "Tocsin");
        if (settings.assignmentGroup() != null) {
            body.put("assignment_group", settings.assignmentGroup());
        }
        return body;
    }

    private HttpOutcome send(String method, ServiceNowSettings settings, String pathAndQuery, Map<String, Object> body) {
        byte[] bytes = body == null ? null : JsonBodies.bytes(body);
        return sender.exchange(method, URI.create(settings.instance() + pathAndQuery), bytes,
                Map.of("Accept", "application/json", "Authorization", settings.authorization()));
    }
}
