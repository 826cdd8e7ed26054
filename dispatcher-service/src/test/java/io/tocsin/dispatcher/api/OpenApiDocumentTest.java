package io.tocsin.dispatcher.api;

import static io.tocsin.testing.OpenApiDocument.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.testing.OpenApiDocument;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dispatcher's OpenAPI document shows the bodies' real schemas, not opaque bytes. */
class OpenApiDocumentTest {

    @Test
    void integrationBodiesAndAnswersHaveTheirSchemas() throws Exception {
        Map<String, Object> document = OpenApiDocument.load("tocsin-dispatcher-0.1.yml");
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

    /** Issue 9: every request and response body (problem+json included) by its fields; the Swagger UI in the jar. */
    @Test
    void everyBodyIsDescribedByItsFieldsAndTheUiIsInTheJar() {
        OpenApiDocument.assertServiceDocs("dispatcher");
    }
}
