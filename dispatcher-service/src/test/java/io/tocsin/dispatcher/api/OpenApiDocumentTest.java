package io.tocsin.dispatcher.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The dispatcher's OpenAPI document shows the bodies' real schemas, not opaque bytes. */
class OpenApiDocumentTest {

    @SuppressWarnings("unchecked")
    static Map<String, Object> at(Map<String, Object> node, String... path) {
        Map<String, Object> current = node;
        for (String step : path) {
            assertThat(current).as("OpenAPI path %s", String.join("/", path)).containsKey(step);
            current = (Map<String, Object>) current.get(step);
        }
        return current;
    }

    @Test
    void integrationBodiesAndAnswersHaveTheirSchemas() throws Exception {
        Map<String, Object> document;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/swagger/tocsin-dispatcher-0.1.yml")) {
            assertThat(in).as("the generated OpenAPI document").isNotNull();
            document = new Yaml().load(in);
        }
        Map<String, Object> createBody = at(document, "paths", "/api/v1/integrations", "post", "requestBody", "content",
                "application/json", "schema");
        assertThat(createBody.get("$ref")).isEqualTo("#/components/schemas/IntegrationRequest");
        assertThat(at(document, "components", "schemas", "IntegrationRequest", "properties"))
                .containsKeys("name", "service", "config", "clusters", "events", "enabled", "sendEnded", "backfill");
        assertThat(at(document, "components", "schemas", "Integration", "properties"))
                .containsKeys("id", "name", "service", "config", "createdAt", "readOnly");
        assertThat(at(document, "components", "schemas", "TestResult", "properties")).containsKeys("ok", "status", "error");
        assertThat(at(document, "paths")).containsKeys("/api/v1/integrations/{id}", "/api/v1/integrations/{id}/test",
                "/api/v1/integrations/test", "/api/v1/deliveries", "/api/v1/dlq/replay");
        assertThat(at(document, "components", "schemas", "DeliveryPage", "properties")).containsKeys("total", "page", "size", "items");
        assertThat(at(document, "components", "schemas", "ReplayRequest", "properties")).containsKeys("integration", "alarmKey", "from", "to");
    }
}
