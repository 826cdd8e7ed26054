package io.tocsin.collector.ingest.pacemaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.testing.OpenApiDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The collector's OpenAPI document shows the Pacemaker body, both content types, with exactly the fields the endpoint reads. */
class PacemakerSchemasTest {

    @Test
    @SuppressWarnings("unchecked")
    void theDocumentShowsTheAlertFieldsForJsonAndForm() {
        Map<String, Object> doc = OpenApiDocument.load("tocsin-collector-0.1.yml");
        Map<String, Object> schema = OpenApiDocument.at(doc, "components", "schemas", "PacemakerAlert");
        List<String> fields = new ArrayList<>(AlertFields.CRM_ALERT_VARIABLES);
        fields.addAll(AlertFields.TOCSIN_FIELDS);
        assertThat(((Map<String, Object>) schema.get("properties")).keySet()).containsExactlyInAnyOrderElementsOf(fields);
        assertThat((List<String>) schema.get("required")).containsExactlyInAnyOrder("CRM_alert_kind", "CRM_alert_node");

        Map<String, Object> content = OpenApiDocument.at(doc, "paths", "/api/v1/ingest/pacemaker", "post", "requestBody", "content");
        assertThat(content.keySet()).containsExactlyInAnyOrder("application/json", "application/x-www-form-urlencoded");
        for (String mediaType : content.keySet()) {
            assertThat(OpenApiDocument.at(content, mediaType, "schema")).containsEntry("$ref", "#/components/schemas/PacemakerAlert");
        }
        assertThat(OpenApiDocument.at(doc, "paths", "/api/v1/ingest/pacemaker", "post", "responses", "202").toString())
                .contains("PacemakerAccepted");
    }
}
