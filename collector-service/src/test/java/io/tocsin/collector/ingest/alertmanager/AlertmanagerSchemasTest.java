package io.tocsin.collector.ingest.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.testing.OpenApiDocument;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The collector's OpenAPI document shows Alertmanager's webhook payload (version 4) as the request body. */
class AlertmanagerSchemasTest {

    @Test
    void theDocumentShowsTheWebhookPayload() {
        Map<String, Object> doc = OpenApiDocument.load("tocsin-collector-0.1.yml");
        Map<String, Object> operation = OpenApiDocument.at(doc, "paths", "/api/v1/ingest/alertmanager", "post");
        assertThat(OpenApiDocument.at(operation, "requestBody", "content", "application/json", "schema").toString())
                .contains("#/components/schemas/AlertmanagerWebhook");
        assertThat(operation.get("parameters").toString()).contains("name=source");

        Map<String, Object> schemas = OpenApiDocument.at(doc, "components", "schemas");
        assertThat(OpenApiDocument.at(schemas, "AlertmanagerWebhook", "properties")).containsOnlyKeys("version", "groupKey",
                "truncatedAlerts", "status", "receiver", "groupLabels", "commonLabels", "commonAnnotations", "externalURL", "alerts");
        assertThat(OpenApiDocument.at(schemas, "AlertmanagerWebhook", "properties", "alerts").toString())
                .contains("#/components/schemas/AlertmanagerAlert");
        assertThat(OpenApiDocument.at(schemas, "AlertmanagerWebhook").get("required").toString()).isEqualTo("[alerts, version]");
        assertThat(OpenApiDocument.at(schemas, "AlertmanagerAlert", "properties")).containsOnlyKeys("status", "labels",
                "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint");
    }
}
