package io.tocsin.rules.silence;

import static io.tocsin.testing.OpenApiDocument.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.testing.OpenApiDocument;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules service's OpenAPI document shows the silences API with its bodies' real schemas, not opaque bytes. */
class SilencesOpenApiTest {

    @Test
    void silenceBodiesAndAnswersHaveTheirSchemas() throws Exception {
        Map<String, Object> document = OpenApiDocument.load("tocsin-rules-0.1.yml");
        assertThat(at(document, "paths", "/api/v1/silences", "post", "requestBody", "content", "application/json", "schema")
                .get("$ref")).isEqualTo("#/components/schemas/SilenceRequest");
        assertThat(at(document, "paths", "/api/v1/silences", "post", "responses", "201", "content", "application/json", "schema")
                .get("$ref")).isEqualTo("#/components/schemas/Silence");
        assertThat(at(document, "paths", "/api/v1/silences/{id}")).containsKeys("get", "delete");
        assertThat(at(document, "paths", "/api/v1/silences/{id}", "delete", "responses")).containsKeys("200", "404", "409");
        assertThat(at(document, "components", "schemas", "SilenceRequest", "properties")).containsOnlyKeys("cluster", "host", "type",
                "category", "source", "startsAt", "endsAt", "duration", "author", "comment");
        assertThat(at(document, "components", "schemas", "SilenceRequest", "properties", "duration")).containsEntry("type", "string");
        assertThat(at(document, "components", "schemas", "Silence", "properties")).containsKeys("id", "cluster", "host", "type",
                "category", "source", "startsAt", "endsAt", "author", "comment", "createdAt", "endedEarly", "status");
        assertThat(at(document, "components", "schemas", "SilenceStatus")).containsEntry("enum",
                java.util.List.of("PENDING", "ACTIVE", "EXPIRED"));
    }
}
