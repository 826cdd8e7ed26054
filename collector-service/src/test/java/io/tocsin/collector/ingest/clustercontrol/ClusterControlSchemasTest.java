package io.tocsin.collector.ingest.clustercontrol;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.testing.OpenApiDocument;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The collector's OpenAPI document shows ClusterControl's two body shapes and the query parameters. */
class ClusterControlSchemasTest {

    @Test
    void theDocumentShowsThePluginAndWebhookShapes() {
        Map<String, Object> doc = OpenApiDocument.load("tocsin-collector-0.1.yml");
        Map<String, Object> operation = OpenApiDocument.at(doc, "paths", "/api/v1/ingest/clustercontrol", "post");
        assertThat(OpenApiDocument.at(operation, "requestBody", "content", "application/json", "schema").toString())
                .contains("#/components/schemas/ClusterControlPluginEvent", "#/components/schemas/ClusterControlWebhookEvent");
        assertThat(operation.get("parameters").toString()).contains("name=controller", "name=cid", "name=cluster");

        Map<String, Object> schemas = OpenApiDocument.at(doc, "components", "schemas");
        assertThat(OpenApiDocument.at(schemas, "ClusterControlPluginEvent", "properties"))
                .containsOnlyKeys("type", "action", "alarm", "cmon_hostname");
        assertThat(OpenApiDocument.at(schemas, "ClusterControlPluginEvent", "properties", "alarm").toString())
                .contains("#/components/schemas/ClusterControlPluginAlarm");
        assertThat(OpenApiDocument.at(schemas, "ClusterControlPluginAlarm", "properties"))
                .containsKeys("id", "cid", "severity", "type", "name", "hostname", "message", "recommendation");
        assertThat(OpenApiDocument.at(schemas, "ClusterControlWebhookEvent", "properties"))
                .containsOnlyKeys("id", "status", "component", "hostname", "title", "message", "recommendation", "severity");
        assertThat(OpenApiDocument.at(schemas, "ClusterControlWebhookEvent").get("required").toString())
                .isEqualTo("[id, status]");
    }
}
