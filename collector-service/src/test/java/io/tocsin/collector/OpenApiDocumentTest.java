package io.tocsin.collector;

import io.tocsin.testing.OpenApiDocument;
import org.junit.jupiter.api.Test;

/** The collector's OpenAPI document and Swagger UI (the native bodies' fields in detail: NativeSchemasTest). */
class OpenApiDocumentTest {

    /** Issue 9: every request and response body (problem+json, 413 and 415 included) by its fields; the UI in the jar. */
    @Test
    void everyBodyIsDescribedByItsFieldsAndTheUiIsInTheJar() {
        OpenApiDocument.assertServiceDocs("collector");
    }
}
