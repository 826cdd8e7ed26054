package io.tocsin.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.testing.OpenApiDocument;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cloud service's OpenAPI document and Swagger UI. It has no API yet (README, "Not yet implemented"), so the
 * document has no operations; the checks still run so that the first body added must come with its fields.
 */
class OpenApiDocumentTest {

    @Test
    void everyBodyIsDescribedByItsFieldsAndTheUiIsInTheJar() {
        Map<String, Object> document = OpenApiDocument.assertServiceDocs("cloud");
        assertThat(OpenApiDocument.at(document, "info").get("title")).isEqualTo("tocsin-cloud");
    }
}
