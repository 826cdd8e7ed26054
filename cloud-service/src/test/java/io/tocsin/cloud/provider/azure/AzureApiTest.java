package io.tocsin.cloud.provider.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.tocsin.cloud.provider.azure.AzureFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.tocsin.cloud.api.CloudServiceHarness;
import io.tocsin.cloud.api.CredentialBodies;
import io.tocsin.testing.CapturedLogs;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.TopicReader;
import jakarta.inject.Singleton;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Azure adapter behind the cloud service's API: a credential stored through {@code /api/v1/cloud/credentials} is
 * verified ({@code POST .../{id}/verify}) by {@link AzureProvider} against WireMock serving Entra ID and Resource
 * Manager, configured only through {@code tocsin.cloud.azure.*}. (The instances API is not on main yet: the instance
 * operations are tested at the provider level, {@link AzureProviderTest}.) The secret is searched for in every
 * answer, log line and record of the credentials topic.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AzureApiTest {

    static final String SPEC = "azure-api";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final String PATH = "/api/v1/cloud/credentials";
    private static final String TENANT = CredentialBodies.azureFields().get("tenant_id");
    private static final String GROUP_PATH = "/subscriptions/" + CredentialBodies.azureFields().get("subscription_id") + "/resourcegroups/cc";

    private final WireMockServer azure = new WireMockServer(options().httpDisabled(true).dynamicHttpsPort().bindAddress("127.0.0.1"));
    private CapturedLogs logs;
    private CloudServiceHarness cloud;

    @BeforeEach
    void start() {
        logs = new CapturedLogs();
        azure.start();
        String base = "https://127.0.0.1:" + azure.httpsPort() + "/";
        cloud = new CloudServiceHarness().with("spec.name", SPEC).with("tocsin.cloud.azure.authority-host", base)
                .with("tocsin.cloud.azure.instance-discovery", false).with("tocsin.cloud.azure.resource-manager-endpoint", base)
                .with("tocsin.cloud.azure.blob-endpoint", base + "{account}").with("tocsin.cloud.azure.max-retries", 0)
                .with("tocsin.cloud.azure.block-size", "4MB").start();
    }

    @AfterEach
    void stop() {
        cloud.close();
        azure.stop();
        logs.close();
    }

    @Test
    void verifyAsksAzureAndNoSecretShowsAnywhere() throws Exception {
        azure.stubFor(post(urlPathEqualTo("/" + TENANT + "/oauth2/v2.0/token")).willReturn(okJson(read("entra-token.json"))));
        azure.stubFor(get(urlPathEqualTo(GROUP_PATH)).willReturn(okJson(read("arm-resourceGroup.json").replace("my-resource-group", "cc"))));
        assertThat(cloud.bean(AzureSettings.class).blockSize()).isEqualTo(4 * 1024 * 1024);

        HttpResponse<String> created = cloud.call("POST", PATH, CredentialBodies.azure("azure-prod"));
        assertThat(created.statusCode()).isEqualTo(201);
        String id = JSON.readTree(created.body()).get("id").asText();
        HttpResponse<String> verified = cloud.call("POST", PATH + "/" + id + "/verify", null);

        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(verified.body());
        assertThat(answer.get("ok").asBoolean()).isTrue();
        assertThat(answer.get("identity").asText()).isEqualTo(CredentialBodies.azureFields().get("application_id"));
        // The secret reached Azure (on the token request, decrypted from the topic) and nothing else.
        assertThat(azure.findAll(postRequestedFor(urlPathEqualTo("/" + TENANT + "/oauth2/v2.0/token"))).getFirst().getBodyAsString())
                .contains("client_secret=" + java.net.URLEncoder.encode(CredentialBodies.AZURE_SECRET, StandardCharsets.UTF_8));

        // Entra ID refusing the secret: 422, its AADSTS code for a person, still no secret.
        azure.stubFor(post(urlPathEqualTo("/" + TENANT + "/oauth2/v2.0/token")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody(read("entra-token-invalid-client.json"))));
        HttpResponse<String> rotated = cloud.call("PUT", PATH + "/" + id, CredentialBodies.body("azure", "azure-prod", "westeurope",
                java.util.Map.of("application_id", CredentialBodies.azureFields().get("application_id"), "client_secret", "Rotated0" + CredentialBodies.AZURE_SECRET,
                        "tenant_id", TENANT, "subscription_id", CredentialBodies.azureFields().get("subscription_id"), "resource_group", "cc")));
        assertThat(rotated.statusCode()).isEqualTo(200);
        HttpResponse<String> refused = cloud.call("POST", PATH + "/" + id + "/verify", null);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("AADSTS7000215");

        String topic = text(TopicReader.readAll(cloud.bootstrap, cloud.prefix + "cloud.credentials", Duration.ofSeconds(10)));
        for (String secret : new String[] {CredentialBodies.AZURE_SECRET, AzureFixtures.TOKEN.substring(0, 40)}) {
            assertThat(String.join("\n", cloud.answers)).doesNotContain(secret);
            assertThat(logs.text()).doesNotContain(secret);
            assertThat(topic).doesNotContain(secret);
        }
    }

    private static String text(java.util.List<ConsumerRecord<byte[], byte[]>> records) {
        StringBuilder text = new StringBuilder();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.value() != null) {
                text.append(new String(record.value(), StandardCharsets.ISO_8859_1));
            }
        }
        return text.toString();
    }

    /** The adapter's clients trusting the test server's certificate, with the settings the context bound. */
    @Factory
    @Requires(property = "spec.name", value = SPEC)
    static class TestClients {
        @Singleton
        @Replaces(AzureClients.class)
        AzureClients clients(AzureSettings settings) {
            return new AzureClients(settings, AzureTestTls.client());
        }
    }
}
