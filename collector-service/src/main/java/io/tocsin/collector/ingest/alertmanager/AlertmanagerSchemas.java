package io.tocsin.collector.ingest.alertmanager;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * Alertmanager's webhook payload (version 4, https://prometheus.io/docs/alerting/latest/configuration/#webhook_config)
 * as the OpenAPI document shows it. The endpoint reads the JSON tree itself ({@link AlertmanagerAlerts}); these
 * records only describe it.
 */
public final class AlertmanagerSchemas {

    private AlertmanagerSchemas() {
    }

    @Introspected
    @Schema(name = "AlertmanagerWebhook", description = "One notification of an Alertmanager webhook receiver. "
            + "Fields not used by Tocsin (receiver, groupLabels, commonLabels, commonAnnotations, groupKey) are accepted and ignored.")
    public record Webhook(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"4"}) String version,
            @Nullable String groupKey,
            @Schema(description = "Alerts Alertmanager left out because of max_alerts (counted, not ingested)") Integer truncatedAlerts,
            @Schema(allowableValues = {"firing", "resolved"}) String status,
            @Nullable String receiver,
            @Nullable Map<String, String> groupLabels,
            @Nullable Map<String, String> commonLabels,
            @Nullable Map<String, String> commonAnnotations,
            @Schema(description = "Its host names the source unless the query parameter source is given",
                    example = "http://alertmanager.example.com:9093") String externalURL,
            @ArraySchema(minItems = 1, arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                    description = "One raw alarm each (at most tocsin.collector.ingest.max-records)")) List<Alert> alerts) {
    }

    @Introspected
    @Schema(name = "AlertmanagerAlert", description = "One alert of a notification")
    public record Alert(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"firing", "resolved"},
                    description = "firing raises the alarm, resolved clears it") String status,
            @Schema(description = "alertname (required when firing) is the type; severity, cluster, component, "
                    + "instance/host/hostname are mapped; all are kept as labels") Map<String, String> labels,
            @Schema(description = "summary is the title, description (or message) the message, runbook_url (or runbook) "
                    + "the recommendation") Map<String, String> annotations,
            @Schema(format = "date-time", description = "The timestamp of a firing alert") String startsAt,
            @Schema(format = "date-time", description = "The timestamp of a resolved alert") String endsAt,
            @Schema(description = "Kept as label alertmanager.generatorURL (when at most 1024 characters)") String generatorURL,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The alarm id", example = "1a30ba71cca2921f") String fingerprint) {
    }
}
