package io.tocsin.cloud.provider.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.tocsin.cloud.provider.gcp.GcpFixture.recorded;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.cloud.api.CloudServiceHarness;
import io.tocsin.cloud.api.CredentialBodies;
import io.tocsin.cloud.credentials.CredentialService;
import io.tocsin.cloud.credentials.Provider;
import io.tocsin.testing.CapturedLogs;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.TopicReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Google Cloud adapters in a running cloud service: {@code tocsin.cloud.gcp.*} bound from configuration, the
 * real {@link GcpProvider} serving {@code POST /api/v1/cloud/credentials/{id}/verify} for a stored service account
 * key (sealed in the topic, opened for the call, exchanged for a token at the configured endpoint), and a refusal
 * answered 422. The key is searched for in every answer, log line, topic record and request to Google.
 * (The instances API is another change; at the provider level the actions are covered by {@link GcpProviderTest}.)
 */
@ExtendWith(KafkaBrokerExtension.class)
class GcpVerifyApiTest {

    static final String PATH = "/api/v1/cloud/credentials";
    static final String AGGREGATED = "/compute/v1/projects/project_name/aggregated/instances";

    GcpFixture google;
    CapturedLogs logs;
    CloudServiceHarness cloud;

    @BeforeEach
    void start() {
        logs = new CapturedLogs();
        google = new GcpFixture();
        cloud = new CloudServiceHarness()
                .with("tocsin.cloud.gcp.compute-endpoint", google.baseUrl())
                .with("tocsin.cloud.gcp.storage-endpoint", google.baseUrl() + "/")
                .with("tocsin.cloud.gcp.token-endpoint", google.baseUrl() + GcpFixture.TOKEN_PATH)
                .with("tocsin.cloud.gcp.call-timeout", "5s")
                .with("tocsin.cloud.gcp.upload-chunk-size", "512KB")
                .start();
    }

    @AfterEach
    void stop() {
        try {
            cloud.close();
            google.assertNoSecretLeaked(logs.text());
        } finally {
            google.close();
            logs.close();
        }
    }

    @Test
    void theSettingsAreBoundAndTheGoogleAdaptersAreTheOnesUsed() {
        GcpSettings settings = cloud.bean(GcpSettings.class);
        assertThat(settings.computeEndpoint()).isEqualTo(google.baseUrl());
        assertThat(settings.storageEndpoint()).as("trailing / dropped").isEqualTo(google.baseUrl());
        assertThat(settings.uploadChunkSize()).isEqualTo(512 * 1024);
        assertThat(settings.operationWait()).isEqualTo(GcpSettings.defaults().operationWait());
        assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(cloud.bean(CredentialService.class).provider(Provider.GCP)).isInstanceOf(GcpProvider.class);
        assertThat(cloud.bean(GcsBackupStorage.class).provider()).isEqualTo(Provider.GCP);
    }

    @Test
    void verifyExchangesTheStoredKeyAndListsTheProjectsInstances() throws Exception {
        google.wireMock.stubFor(get(urlPathEqualTo(AGGREGATED)).willReturn(okJson(recorded("compute-instances.aggregatedList.json"))));
        Map<String, String> key = google.credential(null).fields();
        HttpResponse<String> created = cloud.call("POST", PATH, CredentialBodies.body("gcp", "gcp-prod", "europe-west1-b", key));
        assertThat(created.statusCode()).isEqualTo(201);
        String id = GcpFixture.readTree(created.body()).get("id").asText();

        HttpResponse<String> verified = cloud.call("POST", PATH + "/" + id + "/verify", null);

        assertThat(verified.statusCode()).isEqualTo(200);
        JsonNode verification = GcpFixture.readTree(verified.body());
        assertThat(verification.get("ok").asBoolean()).isTrue();
        assertThat(verification.get("identity").asText()).isEqualTo(GcpFixture.CLIENT_EMAIL);
        google.assertJwtBearerGrant(google.tokenRequests().getFirst());
        google.wireMock.verify(getRequestedFor(urlPathEqualTo(AGGREGATED)).withQueryParam("maxResults", equalTo("1"))
                .withHeader("Authorization", equalTo("Bearer " + google.token)));

        google.wireMock.stubFor(get(urlPathEqualTo(AGGREGATED)).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json; charset=UTF-8").withBody(GcpErrorsTest.errorBody(403, "forbidden",
                        "Required 'compute.instances.list' permission for 'projects/project_name'"))));
        HttpResponse<String> refused = cloud.call("POST", PATH + "/" + id + "/verify", null);

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(GcpFixture.readTree(refused.body()).get("detail").asText()).isEqualTo("verify: list the instances of project "
                + "project_name: Compute Engine answered HTTP 403 PERMISSION_DENIED: Required 'compute.instances.list' permission "
                + "for 'projects/project_name'");

        String topic = TopicReader.readAll(cloud.bootstrap, cloud.prefix + "cloud.credentials", Duration.ofSeconds(10)).stream()
                .map(ConsumerRecord::value).filter(value -> value != null)
                .map(value -> new String(value, StandardCharsets.ISO_8859_1)).collect(Collectors.joining("\n"));
        assertThat(topic).contains("enc:v1:").contains(GcpFixture.CLIENT_EMAIL).doesNotContain(google.keyMarker)
                .doesNotContain(GcpFixture.KEY_ID).doesNotContain(google.token);
        String answers = String.join("\n", cloud.answers);
        assertThat(answers).doesNotContain(google.keyMarker).doesNotContain(GcpFixture.KEY_ID).doesNotContain(google.token);
        assertThat(logs.text()).doesNotContain(GcpFixture.KEY_ID);
    }
}
