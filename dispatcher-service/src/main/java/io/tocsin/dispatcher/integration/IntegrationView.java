package io.tocsin.dispatcher.integration;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.tocsin.dispatcher.delivery.Notifier;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An integration as the API returns it: secret settings replaced by {@link #REDACTED}.
 *
 * @param readOnly true for integrations declared in configuration: they cannot be changed through the API
 */
@Serdeable
@Schema(name = "Integration", description = "A stored or declared integration; secret settings are redacted")
public record IntegrationView(String id, String name, String service, Map<String, String> config, List<String> clusters,
                              List<String> events, boolean enabled, boolean sendEnded, boolean backfill,
                              @Schema(description = "ISO-8601; alarms opened before it are not delivered unless backfill") String createdAt,
                              boolean readOnly) {

    /** What a secret setting's value reads as; sending it back in a PUT keeps the stored value. */
    public static final String REDACTED = "********";

    public static IntegrationView of(IntegrationConfig integration, Notifier notifier) {
        Map<String, String> config = new TreeMap<>();
        integration.settings().forEach((name, value) ->
                config.put(name, notifier != null && notifier.isSecret(name) && !value.isEmpty() ? REDACTED : value));
        return new IntegrationView(integration.id(), integration.name(), integration.service(), config, integration.clusters(),
                integration.events(), integration.enabled(), integration.sendEnded(), integration.backfill(),
                integration.createdAt().toString(), integration.declared());
    }
}
