package io.tocsin.cloud.provider.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.tocsin.cloud.provider.gcp.GcpFixture.recorded;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.httpjson.HttpJsonStatusCode;
import com.google.api.gax.rpc.ApiExceptionFactory;
import com.google.cloud.storage.StorageException;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.cloud.provider.CloudException.Kind;
import io.tocsin.cloud.provider.CloudExceptionKindTest;
import io.tocsin.testing.CapturedLogs;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How each failure of Google reaches the caller, through the real client libraries: Compute Engine's and Cloud
 * Storage's HTTP statuses (with Google's JSON error body, recorded 404 shape), the token endpoint's refusal or
 * failure, an unreachable endpoint and a call past its timeout. No secret in any message, stack trace or log.
 */
class GcpErrorsTest {

    static final String LIST = "/compute/v1/projects/project_name/zones/us-central1-a/instances";

    GcpFixture google;
    CapturedLogs logs;
    GcpProvider provider;
    GcsBackupStorage storage;

    @BeforeEach
    void start() {
        logs = new CapturedLogs();
        google = new GcpFixture();
        GcpSettings settings = google.settings();
        GcpCredentials credentials = new GcpCredentials(settings);
        provider = new GcpProvider(settings, credentials);
        storage = new GcsBackupStorage(settings, credentials);
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

    /**
     * Google's error body for a status: the recorded 404 body, or its shape with the reason and message Google
     * documents for the status (https://cloud.google.com/apis/design/errors#http_mapping).
     */
    static String errorBody(int status, String reason, String message) {
        if (status == 404) {
            return recorded("compute-error-404.json");
        }
        return """
                {"error": {"code": %d, "errors": [{"domain": "global", "message": "%s", "reason": "%s"}], "message": "%s"}}"""
                .formatted(status, message, reason, message);
    }

    /**
     * {@code requests}: how many the library makes. It retries reads on 503 only (UNAVAILABLE; {@code max-attempts}
     * is 2 here), and on 401 the auth library refreshes the token and repeats the request, up to google-http-client's
     * 10 retries (here the token endpoint keeps granting; at Google a revoked key fails the refresh and ends it).
     */
    @ParameterizedTest(name = "HTTP {0} → {2}")
    @CsvSource({
            "401, authError, DENIED, 11, Request had invalid authentication credentials.",
            "403, forbidden, DENIED, 1, Required 'compute.instances.list' permission for 'projects/project_name'",
            "404, notFound, NOT_FOUND, 1, The resource 'projects/project-name/global/images/family/coreos-stable' was not found",
            "400, invalid, INVALID, 1, Invalid value for field 'zone': 'us-central1-a'.",
            "409, conflict, INVALID, 1, The resource is being used by another operation.",
            "429, rateLimitExceeded, UNAVAILABLE, 1, Quota exceeded for quota metric 'Read requests'.",
            "500, backendError, UNAVAILABLE, 1, Internal error. Please try again or contact Google Support.",
            "503, backendError, UNAVAILABLE, 2, The service is currently unavailable."})
    void computeEngineStatuses(int status, String reason, Kind kind, int requests, String message) {
        google.wireMock.stubFor(get(urlPathEqualTo(LIST)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json; charset=UTF-8").withBody(errorBody(status, reason, message))));

        CloudException failure = google.failure(() -> provider.instances(google.credential(null), "us-central1-a"));

        assertThat(failure.kind()).isEqualTo(kind);
        assertThat(failure.getMessage()).startsWith("list the instances of project project_name in us-central1-a: Compute Engine answered HTTP "
                + status + " ").endsWith(": " + message);
        google.wireMock.verify(requests, getRequestedFor(urlPathEqualTo(LIST)));
    }

    @ParameterizedTest(name = "HTTP {0} → {2}")
    @CsvSource({
            "401, required, DENIED, Anonymous caller does not have storage.objects.list access to the Google Cloud Storage bucket.",
            "403, forbidden, DENIED, tocsin@project_name.iam.gserviceaccount.com does not have storage.objects.list access to the Google Cloud Storage bucket.",
            "404, notFound, NOT_FOUND, The resource 'projects/project-name/global/images/family/coreos-stable' was not found",
            "400, invalid, INVALID, Invalid bucket name: 'Backups'",
            "503, backendError, UNAVAILABLE, We encountered an internal error. Please try again."})
    void cloudStorageStatuses(int status, String reason, Kind kind, String message) {
        google.wireMock.stubFor(get(urlPathEqualTo("/storage/v1/b/backups/o")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json; charset=UTF-8").withBody(errorBody(status, reason, message))));

        CloudException failure = google.failure(() -> storage.list(google.credential(null), "backups", "daily/"));

        assertThat(failure.kind()).isEqualTo(kind);
        assertThat(failure.getMessage()).startsWith("list gs://backups/daily/*: Cloud Storage answered HTTP " + status + ": ")
                .endsWith(message);
    }

    /** Compute Engine's (gax) and Cloud Storage's exceptions for a bare status, classified as {@link Kind#forStatus} says. */
    @Test
    void aBareStatusIsClassifiedAsForStatusSays() {
        assertThat(CloudExceptionKindTest.disagreements(status -> GcpErrors.of("list", ApiExceptionFactory.createException(
                new RuntimeException("HTTP " + status), HttpJsonStatusCode.of(status), false)).kind())).as("Compute Engine").isEmpty();
        assertThat(CloudExceptionKindTest.disagreements(status -> GcpErrors.of("list", new StorageException(status, "HTTP " + status)).kind()))
                .as("Cloud Storage").isEmpty();
        assertThat(GcpErrors.of("list", new StorageException(0, "Connection refused")).kind()).as("no answer").isEqualTo(Kind.UNAVAILABLE);
    }

    @Test
    void aTokenEndpointRefusalIsDenied() {
        // RFC 6749 §5.2 error body, as Google's token endpoint answers a JWT it cannot verify
        // (https://developers.google.com/identity/protocols/oauth2/service-account#error-codes).
        google.wireMock.stubFor(post(urlPathEqualTo(GcpFixture.TOKEN_PATH)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody("{\"error\": \"invalid_grant\", \"error_description\": \"Invalid JWT Signature.\"}")));

        CloudException failure = google.failure(() -> provider.instances(google.credential(null), "us-central1-a"));

        assertThat(failure.kind()).isEqualTo(Kind.DENIED);
        assertThat(failure.getMessage()).isEqualTo("list the instances of project project_name in us-central1-a: the token endpoint "
                + "refused the service account key (HTTP 400): invalid_grant: Invalid JWT Signature.");
        google.wireMock.verify(0, getRequestedFor(urlPathEqualTo(LIST)));
    }

    @Test
    void aFailingTokenEndpointIsUnavailable() {
        google.wireMock.stubFor(post(urlPathEqualTo(GcpFixture.TOKEN_PATH)).willReturn(aResponse().withStatus(503)));

        CloudException failure = google.failure(() -> storage.list(google.credential(null), "backups", ""));

        assertThat(failure.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(failure.getMessage()).startsWith("list gs://backups/*: ").contains("503");
    }

    @Test
    void anUnreachableEndpointIsUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        GcpSettings settings = google.settings();
        GcpSettings unreachable = new GcpSettings("http://127.0.0.1:" + closedPort, "http://127.0.0.1:" + closedPort,
                settings.tokenEndpoint(), settings.connectTimeout(), settings.readTimeout(), settings.callTimeout(), 1,
                settings.operationWait(), settings.operationPollInterval(), settings.uploadChunkSize());
        GcpCredentials credentials = new GcpCredentials(unreachable);
        GcpProvider nowhere = new GcpProvider(unreachable, credentials);
        try {
            CloudException compute = google.failure(() -> nowhere.instances(google.credential(null), "us-central1-a"));
            CloudException gcs = google.failure(() -> new GcsBackupStorage(unreachable, credentials).list(google.credential(null), "backups", ""));

            assertThat(compute.kind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(gcs.kind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(gcs.getMessage()).startsWith("list gs://backups/*: Cloud Storage could not be reached");
        } finally {
            nowhere.close();
        }
    }

    @Test
    void aCallPastItsTimeoutIsUnavailable() {
        GcpSettings impatient = google.settings(Duration.ofMillis(500), Duration.ofSeconds(2));
        GcpProvider slow = new GcpProvider(impatient, new GcpCredentials(impatient));
        google.wireMock.stubFor(get(urlPathEqualTo(LIST)).willReturn(okJson(recorded("compute-instances.list.json")).withFixedDelay(3000)));
        try {
            long started = System.nanoTime();
            CloudException failure = google.failure(() -> slow.instances(google.credential(null), "us-central1-a"));

            assertThat(failure.kind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2500));
        } finally {
            slow.close();
        }
    }
}
