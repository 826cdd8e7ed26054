package io.tocsin.cloud.provider.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.tocsin.cloud.provider.gcp.GcpFixture.recorded;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.cloud.provider.CloudException.Kind;
import io.tocsin.cloud.provider.CloudProvider;
import io.tocsin.cloud.provider.Instance;
import io.tocsin.cloud.provider.InstanceState;
import io.tocsin.testing.CapturedLogs;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GcpProvider} through the real {@code google-cloud-compute} client and auth library against WireMock
 * serving recorded Compute Engine answers: the JWT-bearer token exchange, the requests each action makes
 * (path, method, query, bearer token), the mapping of recorded instances, zone operations polled to DONE or to
 * their error, and no secret anywhere. Error classification: {@link GcpErrorsTest}.
 */
class GcpProviderTest {

    static final String ZONE_PATH = "/compute/v1/projects/project_name/zones/us-central1-a";

    GcpFixture google;
    CapturedLogs logs;
    GcpProvider provider;

    @BeforeEach
    void start() {
        logs = new CapturedLogs();
        google = new GcpFixture();
        GcpSettings settings = google.settings();
        provider = new GcpProvider(settings, new GcpCredentials(settings));
    }

    @AfterEach
    void stop() {
        try {
            google.assertNoSecretLeaked(logs.text());
        } finally {
            provider.close();
            google.close();
            logs.close();
        }
    }

    @Test
    void listsAZoneWithATokenFromTheJwtBearerExchange() throws Exception {
        google.wireMock.stubFor(get(urlPathEqualTo(ZONE_PATH + "/instances")).willReturn(okJson(recorded("compute-instances.list.json"))));

        List<Instance> instances = provider.instances(google.credential(null), "us-central1-a");

        assertThat(instances).containsExactly(new Instance("node-name", "node-name", InstanceState.RUNNING, "RUNNING",
                "n1-standard-1", "us-central1-a", List.of("10.240.72.75"), List.of("23.236.58.15")));
        assertThat(google.tokenRequests()).hasSize(1);
        google.assertJwtBearerGrant(google.tokenRequests().getFirst());
        google.wireMock.verify(getRequestedFor(urlPathEqualTo(ZONE_PATH + "/instances"))
                .withHeader("Authorization", equalTo("Bearer " + google.token)));

        provider.instances(google.credential(null), "us-central1-a");
        assertThat(google.tokenRequests()).as("a new credential version exchanges again").hasSize(2);
    }

    @Test
    void theTokenIsReusedForACredentialVersion() throws Exception {
        google.wireMock.stubFor(get(urlPathEqualTo(ZONE_PATH + "/instances")).willReturn(okJson(recorded("compute-instances.list.json"))));
        CloudCredential credential = google.credential("us-central1-a");

        provider.instances(credential, null);
        provider.instances(credential, null);

        assertThat(google.tokenRequests()).as("one exchange, the token reused").hasSize(1);
        google.wireMock.verify(2, getRequestedFor(urlPathEqualTo(ZONE_PATH + "/instances"))
                .withHeader("Authorization", equalTo("Bearer " + google.token)));
    }

    @Test
    void aDeletedCredentialsOpenedKeyIsForgotten() {
        GcpCredentials credentials = new GcpCredentials(google.settings());
        GcpProvider adapter = new GcpProvider(google.settings(), credentials);
        try {
            CloudCredential credential = google.credential(null);
            credentials.of(credential);
            assertThat(credentials.holds(credential.id())).isTrue();
            adapter.forget(credential.id());
            assertThat(credentials.holds(credential.id())).isFalse();
        } finally {
            adapter.close();
        }
    }

    @Test
    void withoutTheSettingTheKeysTokenUriIsFollowedOnlyToGoogle() {
        GcpSettings defaults = google.settings();
        GcpSettings noTokenSetting = new GcpSettings(defaults.computeEndpoint(), defaults.storageEndpoint(), null,
                defaults.connectTimeout(), defaults.readTimeout(), defaults.callTimeout(), 1, defaults.operationWait(),
                defaults.operationPollInterval(), defaults.uploadChunkSize());
        GcpCredentials credentials = new GcpCredentials(noTokenSetting);
        GcpProvider fromKey = new GcpProvider(noTokenSetting, credentials);
        try {
            assertThat(credentials.tokenEndpoint(google.credential(null, "https://accounts.google.com/o/oauth2/token")))
                    .hasToString("https://accounts.google.com/o/oauth2/token");
            assertThat(credentials.tokenEndpoint(google.credential(null, ""))).hasToString("https://oauth2.googleapis.com/token");

            // A key whose token_uri was changed (a PUT keeps the stored key) must not send a JWT signed with it elsewhere.
            CloudException failure = google.failure(() -> fromKey.instances(
                    google.credential(null, google.baseUrl() + GcpFixture.TOKEN_PATH), "us-central1-a"));
            assertThat(failure.kind()).isEqualTo(Kind.INVALID);
            assertThat(failure.getMessage()).contains("credentials.token_uri is not Google's token endpoint");
            assertThat(google.events()).as("nothing sent").isEmpty();
        } finally {
            fromKey.close();
        }
    }

    @Test
    void listsEveryZoneWithAnAggregatedListOrARegionsZones() {
        google.wireMock.stubFor(get(urlPathEqualTo("/compute/v1/projects/project_name/aggregated/instances"))
                .willReturn(okJson(recorded("compute-instances.aggregatedList.json"))));

        List<Instance> all = provider.instances(google.credential(null), null);

        assertThat(all).extracting(Instance::id).containsExactly("libcloud-demo-europe-multiple-nodes-000",
                "libcloud-demo-europe-persist-node", "libcloud-demo-europe-np-node", "node-name", "libcloud-demo-persist-node",
                "libcloud-demo-np-node", "libcloud-demo-multiple-nodes-000", "libcloud-demo-multiple-nodes-001");
        assertThat(all.getLast()).isEqualTo(new Instance("libcloud-demo-multiple-nodes-001", "libcloud-demo-multiple-nodes-001",
                InstanceState.STOPPED, "SUSPENDED", "n1-standard-1", "us-central2-a", List.of("10.240.24.29"), List.of("173.255.120.207")));
        assertThat(all).extracting(Instance::location).containsOnly("europe-west1-a", "us-central1-a", "us-central2-a");

        assertThat(provider.instances(google.credential("europe-west1"), null)).as("the credential's default region")
                .extracting(Instance::location).containsOnly("europe-west1-a").hasSize(3);
        assertThat(provider.instances(google.credential("europe-west1"), "us-central1")).extracting(Instance::id)
                .containsExactly("node-name");
        google.wireMock.verify(3, getRequestedFor(urlPathEqualTo("/compute/v1/projects/project_name/aggregated/instances"))
                .withHeader("Authorization", equalTo("Bearer " + google.token)));
    }

    @Test
    void verifyListsAtMostOneInstanceAndNamesTheServiceAccount() throws Exception {
        google.wireMock.stubFor(get(urlPathEqualTo("/compute/v1/projects/project_name/aggregated/instances"))
                .willReturn(okJson(recorded("compute-instances.aggregatedList.json"))));

        CloudProvider.Verification verification = provider.verify(google.credential(null));

        assertThat(verification.ok()).isTrue();
        assertThat(verification.identity()).isEqualTo(GcpFixture.CLIENT_EMAIL);
        assertThat(verification.detail()).contains("project_name").contains("compute.instances.list");
        google.wireMock.verify(getRequestedFor(urlPathEqualTo("/compute/v1/projects/project_name/aggregated/instances"))
                .withQueryParam("maxResults", equalTo("1")).withHeader("Authorization", equalTo("Bearer " + google.token)));
        google.assertJwtBearerGrant(google.tokenRequests().getFirst());
    }

    @Test
    void stopResetAndDeletePollTheirZoneOperationUntilDone() {
        stubAction("stop", post(urlPathEqualTo(ZONE_PATH + "/instances/node-name/stop")), "compute-instances.stop-operation-PENDING.json",
                "operation-stopnode", "compute-zoneOperations.get-stop-DONE.json");
        stubAction("reset", post(urlPathEqualTo(ZONE_PATH + "/instances/node-name/reset")), "compute-instances.reset-operation-PENDING.json",
                "operation-zones_us-central1-a_instances_node-name_reset_post", "compute-zoneOperations.get-reset-DONE.json");
        stubAction("delete", delete(urlPathEqualTo(ZONE_PATH + "/instances/node-name")), "compute-instances.delete-operation-PENDING.json",
                "operation-zones_us-central1-a_instances_node-name_delete", "compute-zoneOperations.get-delete-DONE.json");
        CloudCredential credential = google.credential("us-central1-a");

        provider.stop(credential, "us-central1-a", "node-name");
        provider.reboot(credential, null, "node-name"); // the credential's default region is a zone
        provider.terminate(credential, "us-central1-a", "node-name");

        String bearer = "Bearer " + google.token;
        google.wireMock.verify(1, postRequestedFor(urlPathEqualTo(ZONE_PATH + "/instances/node-name/stop")).withHeader("Authorization", equalTo(bearer)));
        google.wireMock.verify(1, postRequestedFor(urlPathEqualTo(ZONE_PATH + "/instances/node-name/reset")).withHeader("Authorization", equalTo(bearer)));
        google.wireMock.verify(1, deleteRequestedFor(urlPathEqualTo(ZONE_PATH + "/instances/node-name")).withHeader("Authorization", equalTo(bearer)));
        for (String operation : List.of("operation-stopnode", "operation-zones_us-central1-a_instances_node-name_reset_post",
                "operation-zones_us-central1-a_instances_node-name_delete")) {
            google.wireMock.verify(2, getRequestedFor(urlPathEqualTo(ZONE_PATH + "/operations/" + operation))
                    .withHeader("Authorization", equalTo(bearer)));
        }
        assertThat(google.events()).extracting(event -> event.getRequest().getMethod() + " " + event.getRequest().getUrl())
                .as("each action, then its operation read until DONE (PENDING, RUNNING, DONE)")
                .containsSubsequence("POST " + ZONE_PATH + "/instances/node-name/stop",
                        "GET " + ZONE_PATH + "/operations/operation-stopnode", "GET " + ZONE_PATH + "/operations/operation-stopnode",
                        "POST " + ZONE_PATH + "/instances/node-name/reset", "DELETE " + ZONE_PATH + "/instances/node-name");
    }

    @Test
    void anOperationEndingWithAnErrorIsACloudExceptionOfItsHttpStatus() {
        google.wireMock.stubFor(post(urlPathEqualTo(ZONE_PATH + "/instances/node-name/stop"))
                .willReturn(okJson(recorded("compute-instances.stop-operation-PENDING.json"))));
        google.wireMock.stubFor(get(urlPathEqualTo(ZONE_PATH + "/operations/operation-stopnode"))
                .willReturn(okJson(recorded("compute-zoneOperations.get-DONE-error.json"))));

        CloudException failure = google.failure(() -> provider.stop(google.credential(null), "us-central1-a", "node-name"));

        assertThat(failure.kind()).isEqualTo(Kind.INVALID); // httpErrorStatusCode 400
        assertThat(failure.getMessage()).isEqualTo("stop instance node-name in zone us-central1-a of project project_name: operation "
                + "operation-setMachineType-notstopped failed (HTTP 400): RESOURCE_NOT_READY: The resource "
                + "'projects/project_name/zones/us-central1-a/instances/node-name' is not ready");
    }

    @Test
    void anOperationStillRunningAfterTheWaitIsUnavailable() {
        GcpSettings quick = google.settings(Duration.ofSeconds(3), Duration.ofMillis(200));
        GcpProvider impatient = new GcpProvider(quick, new GcpCredentials(quick));
        String running = recorded("compute-instances.stop-operation-PENDING.json").replace("\"PENDING\"", "\"RUNNING\"");
        google.wireMock.stubFor(post(urlPathEqualTo(ZONE_PATH + "/instances/node-name/stop"))
                .willReturn(okJson(recorded("compute-instances.stop-operation-PENDING.json"))));
        google.wireMock.stubFor(get(urlPathEqualTo(ZONE_PATH + "/operations/operation-stopnode")).willReturn(okJson(running)));
        try {
            CloudException failure = google.failure(() -> impatient.stop(google.credential(null), "us-central1-a", "node-name"));

            assertThat(failure.kind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(failure.getMessage()).contains("operation operation-stopnode is still RUNNING after PT0.2S");
            assertThat(google.wireMock.findAll(getRequestedFor(urlPathEqualTo(ZONE_PATH + "/operations/operation-stopnode"))))
                    .as("polled every 20 ms within the wait").hasSizeGreaterThanOrEqualTo(2);
        } finally {
            impatient.close();
        }
    }

    @Test
    void anActionWithoutAZoneIsRefusedBeforeAnyRequest() {
        BiConsumer<String, String> stop = (region, location) -> {
            CloudException failure = google.failure(() -> provider.stop(google.credential(region), location, "node-name"));
            assertThat(failure.kind()).isEqualTo(Kind.INVALID);
            assertThat(failure.getMessage()).startsWith("stop instance node-name: name its zone");
        };
        stop.accept(null, null);
        stop.accept("europe-west1", null);
        stop.accept(null, "europe-west1");
        assertThat(google.events()).isEmpty();
    }

    /** Action → PENDING; then its operation reads RUNNING, then DONE (the recorded PENDING answer, re-labelled RUNNING). */
    private void stubAction(String scenario, MappingBuilder action, String pending,
                            String operation, String done) {
        google.wireMock.stubFor(action.willReturn(okJson(recorded(pending))));
        String path = ZONE_PATH + "/operations/" + operation;
        google.wireMock.stubFor(get(urlPathEqualTo(path)).inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(recorded(pending).replace("\"PENDING\"", "\"RUNNING\""))).willSetStateTo("done"));
        google.wireMock.stubFor(get(urlPathEqualTo(path)).inScenario(scenario).whenScenarioStateIs("done")
                .willReturn(okJson(recorded(done))));
    }
}
