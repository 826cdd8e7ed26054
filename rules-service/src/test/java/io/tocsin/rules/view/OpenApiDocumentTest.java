package io.tocsin.rules.view;

import static io.tocsin.testing.OpenApiDocument.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.testing.OpenApiDocument;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules service's OpenAPI document shows the view's real answer schemas and hides the internal endpoint. */
class OpenApiDocumentTest {

    @Test
    void answersHaveTheirSchemasAndTheInstanceProtocolIsHidden() throws Exception {
        Map<String, Object> document = OpenApiDocument.load("tocsin-rules-0.1.yml");
        assertThat(at(document, "paths")).containsKeys("/api/v1/alarms", "/api/v1/alarms/status", "/api/v1/alarms/{key}",
                "/api/v1/hosts", "/api/v1/hosts/{host}", "/api/v1/sources", "/api/v1/sources/{source}", "/api/v1/rules",
                "/api/v1/rules/{type}");
        assertThat(at(document, "paths").keySet()).noneMatch(path -> path.contains("internal"));
        assertThat(at(document, "paths", "/api/v1/alarms", "get", "responses", "200", "content", "application/json", "schema").get("$ref"))
                .isEqualTo("#/components/schemas/AlarmPage");
        assertThat(at(document, "components", "schemas", "AlarmPage", "properties")).containsKeys("total", "page", "size", "items");
        assertThat(at(document, "components", "schemas", "Alarm", "properties")).containsKeys("key", "severity", "type", "categories",
                "cluster", "hostname", "openedAt", "lastSeen", "repeatCount", "silenced");
        assertThat(at(document, "components", "schemas", "AlarmStatus", "properties")).containsKeys("overall", "bySource", "byCluster");
        assertThat(at(document, "components", "schemas", "AlarmCounts", "properties")).containsKeys("total", "severity", "type", "category");
        assertThat(at(document, "components", "schemas", "Host", "properties")).containsKeys("host", "status", "lastSampleAt", "latest", "openAlarms");
        assertThat(at(document, "components", "schemas", "Source", "properties")).containsKeys("source", "status", "lastEventAt", "raised",
                "cleared", "expectedInterval", "openAlarms");
        assertThat(at(document, "components", "schemas", "Rule", "properties")).containsKeys("type", "kind", "metric", "warning", "critical",
                "aggregate", "window", "sustained", "consecutive", "clear", "escalate", "overrides");
        assertThat(at(document, "paths", "/api/v1/alarms", "get")).containsKey("parameters");
        assertThat(at(document, "paths", "/api/v1/alarms", "get").get("parameters").toString())
                .contains("severity", "category", "hostname", "silenced", "sort", "page", "size");
    }

    /** Issue 9: every request and response body (problem+json included) by its fields; the Swagger UI in the jar. */
    @Test
    void everyBodyIsDescribedByItsFieldsAndTheUiIsInTheJar() {
        OpenApiDocument.assertServiceDocs("rules");
    }
}
