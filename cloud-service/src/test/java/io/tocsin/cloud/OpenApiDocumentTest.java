package io.tocsin.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.testing.OpenApiDocument;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cloud service's OpenAPI document and Swagger UI: every body described by its fields, the UI in the jar. */
class OpenApiDocumentTest {

    @Test
    void everyBodyIsDescribedByItsFieldsAndTheUiIsInTheJar() {
        Map<String, Object> document = OpenApiDocument.assertServiceDocs("cloud");
        assertThat(OpenApiDocument.at(document, "info").get("title")).isEqualTo("tocsin-cloud");
        assertThat(OpenApiDocument.at(document, "paths")).containsKeys("/api/v1/cloud/credentials", "/api/v1/cloud/credentials/{id}",
                "/api/v1/cloud/credentials/{id}/verify");
        // Each provider's credentials object is documented field by field.
        assertThat(OpenApiDocument.at(document, "components", "schemas", "CloudCredentialRequest", "properties", "credentials")
                .get("oneOf").toString()).contains("AwsCredentials", "GcpServiceAccountKey", "AzureCredentials");
        assertThat(OpenApiDocument.at(document, "components", "schemas", "GcpServiceAccountKey").get("required").toString())
                .isEqualTo("[client_email, private_key, project_id, type]");
    }
}
