package io.tocsin.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.testing.OpenApiDocument;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * The error answers documented once by meta-annotations ({@code @NoSuchCredential}, {@code @ProviderErrors},
     * {@code @NoAdapterError}, {@code @NoSuchInstance}) reach every operation that carries them, as problem+json: the
     * guard should micronaut-openapi ever stop reading {@code @ApiResponse} on a meta-annotation.
     */
    @Test
    void theSharedErrorAnswersAreOnEveryOperationThatDeclaresThem() {
        Map<String, Object> document = OpenApiDocument.assertServiceDocs("cloud");
        String credential = "/api/v1/cloud/credentials/{id}";
        Map<String, List<String>> codes = new LinkedHashMap<>();
        codes.put("get " + credential, List.of("404"));
        codes.put("put " + credential, List.of("404"));
        codes.put("delete " + credential, List.of("404"));
        codes.put("post " + credential + "/verify", List.of("404", "422", "501", "503"));
        codes.put("get " + credential + "/instances", List.of("404", "422", "501", "503"));
        for (String action : List.of("stop", "reboot", "terminate")) {
            codes.put("post " + credential + "/instances/{instanceId}/" + action, List.of("404", "422", "501", "503"));
        }
        codes.put("get " + credential + "/vpcs", List.of("404", "422", "503"));
        codes.put("post " + credential + "/vpcs", List.of("404", "422", "503"));
        codes.put("post " + credential + "/vpcs/{vpcId}/subnets", List.of("422", "503"));
        codes.put("delete " + credential + "/subnets/{subnetId}", List.of("422", "503"));
        codes.put("post /api/v1/cloud/backups", List.of("422", "501", "503"));
        codes.put("get /api/v1/cloud/backups", List.of("422", "501", "503"));
        codes.put("get /api/v1/cloud/backups/{credential}/{bucket}/content", List.of("422", "501", "503"));
        codes.forEach((operation, expected) -> {
            String[] methodAndPath = operation.split(" ", 2);
            Map<String, Object> responses = OpenApiDocument.at(document, "paths", methodAndPath[1], methodAndPath[0], "responses");
            for (String code : expected) {
                assertThat(OpenApiDocument.at(responses, code, "content", "application/problem+json", "schema").get("$ref"))
                        .as(operation + " " + code).isEqualTo("#/components/schemas/Problem");
            }
        });
        assertThat(OpenApiDocument.at(document, "paths", credential + "/instances/{instanceId}/stop", "post", "responses", "404")
                .get("description")).isEqualTo("No credential with that id, or no such instance");
    }
}
