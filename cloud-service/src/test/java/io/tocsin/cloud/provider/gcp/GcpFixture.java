package io.tocsin.cloud.provider.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.LoggedResponse;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.credentials.Provider;
import io.tocsin.cloud.provider.CloudException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one Google Cloud fake of the cloud service's tests: a WireMock server playing Google from the recorded
 * responses in {@code src/test/resources/gcp} (each with a {@code .source} file). It always answers the token
 * endpoint ({@value #TOKEN_PATH}); Compute Engine answers are stubbed by each test on {@link #wireMock} from the
 * recorded ones ({@link #recorded}, edited with {@link #withStatus} and {@link #without}); {@link #serveCloudStorage()}
 * adds Cloud Storage as backups use it (resumable uploads, {@code objects.list}, {@code objects.get}, media download)
 * over the objects uploaded to it ({@link #objects()}), and {@link #failUploads} makes uploads fail.
 *
 * <p>It also holds a service account key generated per run and the secret searches: the private key must appear in
 * no request, answer, exception or log line; the access token only in the token endpoint's answer and in the
 * {@code Authorization: Bearer} header of the requests to Google's APIs. {@link #digestsOnly()} is the variant for
 * uploads larger than the heap: it keeps neither bodies (no request journal, so no searches) nor uploaded bytes, only
 * their sizes and digests.
 */
public final class GcpFixture implements AutoCloseable {

    /** An object whose upload session finished; {@code bytes} null when only digests are kept. */
    public record Stored(String bucket, String name, long size, String sha256, byte[] bytes, String contentType, String resource) {
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PROJECT = "project_name";
    static final String CLIENT_EMAIL = "tocsin@project_name.iam.gserviceaccount.com";
    static final String KEY_ID = "PKID0gcp0test0b1c2d3e4f5a6b7c8d9e0f1a2b3c4";
    public static final String TOKEN_PATH = "/token";

    final KeyPair keys = rsaKeys();
    final String privateKeyPem = pem(keys.getPrivate().getEncoded());
    /** A line of the PEM's base64 that only the key holds: what the searches look for. */
    final String keyMarker = privateKeyPem.split("\n")[5];
    /** The access token the recorded token answer grants. */
    public final String token = recordedJson("oauth2-token.json").get("access_token").asText();
    /** Cloud Storage's resumable upload sessions ({@code .withTransformers(ResumableUploads.NAME)}). */
    final ResumableUploads uploads;
    /** Google: stub and verify on it. */
    public final WireMockServer wireMock;
    /** Every CloudException a test caught, searched for secrets with its stack trace. */
    final List<Throwable> thrown = new ArrayList<>();

    /** Google keeping every request and uploaded byte, for the checks and searches. */
    public GcpFixture() {
        this(true);
    }

    /** Google keeping only the size and digests of what is uploaded, and no request journal. */
    public static GcpFixture digestsOnly() {
        return new GcpFixture(false);
    }

    private GcpFixture(boolean keep) {
        uploads = new ResumableUploads(keep);
        // Gzip off: Cloud Storage serves an object's bytes as stored (it compresses nothing on the fly), and the
        // library reads media raw, so WireMock's on-the-fly gzip would change the downloaded bytes.
        // Stub request logging off: WireMock would format each request, body included, as a string for a log line it
        // does not print (not verbose), which costs seconds for the large uploads.
        WireMockConfiguration options = options().dynamicPort().bindAddress("127.0.0.1").gzipDisabled(true)
                .stubRequestLoggingDisabled(true).extensions(uploads, new StoredObjects(uploads.objects));
        wireMock = new WireMockServer(keep ? options : options.disableRequestJournal());
        wireMock.start();
        wireMock.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(okJson(recorded("oauth2-token.json"))));
    }

    public String baseUrl() {
        return wireMock.baseUrl();
    }

    /** Where {@code tocsin.cloud.gcp.token-endpoint} points. */
    public String tokenEndpoint() {
        return baseUrl() + TOKEN_PATH;
    }

    /**
     * Serves Cloud Storage's JSON API paths backups use, at a low priority (10) so that a test's own stub wins:
     * uploads ({@link ResumableUploads}) and reads ({@link StoredObjects}) of any bucket.
     */
    public GcpFixture serveCloudStorage() {
        wireMock.stubFor(any(urlPathMatching("/upload/storage/v1/b/[^/]+/o")).atPriority(10)
                .willReturn(aResponse().withTransformers(ResumableUploads.NAME)));
        wireMock.stubFor(get(urlPathMatching("/(download/)?storage/v1/b/[^/]+/o(/.+)?")).atPriority(10)
                .willReturn(aResponse().withTransformers(StoredObjects.NAME)));
        return this;
    }

    /** The objects whose upload finished, by bucket + "/" + name (live). */
    public Map<String, Stored> objects() {
        return uploads.objects;
    }

    /** Non-zero: every upload chunk is refused with this status and Google's error body; 0 again: uploads work. */
    public void failUploads(int status) {
        uploads.failUploads = status;
    }

    /** Settings pointing every endpoint at WireMock, with short waits so that failure cases stay fast. */
    GcpSettings settings() {
        return settings(Duration.ofSeconds(3), Duration.ofSeconds(2));
    }

    GcpSettings settings(Duration callTimeout, Duration operationWait) {
        return new GcpSettings(baseUrl(), baseUrl(), baseUrl() + TOKEN_PATH, Duration.ofSeconds(2), Duration.ofSeconds(3),
                callTimeout, 2, operationWait, Duration.ofMillis(20), GcpSettings.CHUNK_QUANTUM);
    }

    /** The key file's fields as the credentials API stores them; {@code token_uri} is Google's unless given. */
    CloudCredential credential(String defaultRegion) {
        return credential(defaultRegion, "https://oauth2.googleapis.com/token");
    }

    CloudCredential credential(String defaultRegion, String tokenUri) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("type", "service_account");
        fields.put("project_id", PROJECT);
        fields.put("private_key_id", KEY_ID);
        fields.put("private_key", privateKeyPem);
        fields.put("client_email", CLIENT_EMAIL);
        fields.put("client_id", "104730019391736048612");
        fields.put("token_uri", tokenUri);
        return new CloudCredential("cred-" + System.nanoTime(), Provider.GCP, "gcp-test", "", defaultRegion, fields,
                Instant.now(), Instant.now());
    }

    /** Runs {@code call}, expecting a CloudException, and keeps it for the secret search. */
    CloudException failure(Runnable call) {
        try {
            call.run();
        } catch (CloudException e) {
            thrown.add(e);
            return e;
        }
        throw new AssertionError("expected a CloudException");
    }

    /** The JWT-bearer grants the token endpoint received, as form fields. */
    List<Map<String, String>> tokenRequests() {
        return events().stream().filter(event -> event.getRequest().getUrl().startsWith(TOKEN_PATH))
                .map(event -> form(event.getRequest().getBodyAsString())).toList();
    }

    /**
     * Checks a token request: the OAuth 2.0 JWT-bearer grant (RFC 7523) whose assertion is an RS256 JWT signed with
     * the key (verified with its public key), issued by the service account for cloud-platform, naming the key id,
     * for an hour.
     */
    void assertJwtBearerGrant(Map<String, String> form) throws Exception {
        assertThat(form.get("grant_type")).isEqualTo("urn:ietf:params:oauth:grant-type:jwt-bearer");
        String[] jwt = form.get("assertion").split("\\.");
        assertThat(jwt).hasSize(3);
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(keys.getPublic());
        rs256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rs256.verify(Base64.getUrlDecoder().decode(jwt[2]))).as("signed with the service account key").isTrue();
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(jwt[0]));
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
        assertThat(header.get("alg").asText()).isEqualTo("RS256");
        assertThat(header.get("kid").asText()).isEqualTo(KEY_ID);
        assertThat(claims.get("iss").asText()).isEqualTo(CLIENT_EMAIL);
        // Google's endpoint whatever the URI it is sent to: the auth library's constant, what Google checks.
        assertThat(claims.get("aud").asText()).isEqualTo("https://oauth2.googleapis.com/token");
        assertThat(claims.get("scope").asText()).isEqualTo(GcpCredentials.SCOPE);
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(3600);
        assertThat(header + " " + claims).doesNotContain(keyMarker);
    }

    List<ServeEvent> events() {
        return wireMock.getAllServeEvents().reversed(); // WireMock lists the newest first
    }

    /** The secret search of every request, answer, caught exception and {@code logs}. */
    void assertNoSecretLeaked(String logs) {
        String bearer = "Bearer " + token;
        for (ServeEvent event : events()) {
            String url = event.getRequest().getUrl();
            String request = event.getRequest().getMethod() + " " + url + "\n" + event.getRequest().getHeaders() + "\n"
                    + new String(event.getRequest().getBody(), StandardCharsets.ISO_8859_1);
            assertThat(request).as("request %s", url).doesNotContain(keyMarker);
            assertThat(request.replace(bearer, "")).as("request %s, apart from its Authorization header", url).doesNotContain(token);
            if (url.startsWith(TOKEN_PATH)) {
                assertThat(event.getRequest().getHeader("Authorization")).as("the token request carries no token").isNull();
                String payload = form(event.getRequest().getBodyAsString()).get("assertion").split("\\.")[1];
                assertThat(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8)).doesNotContain(keyMarker);
            } else if (event.getRequest().getHeader("Authorization") != null) {
                assertThat(event.getRequest().getHeader("Authorization")).isEqualTo(bearer);
            }
            LoggedResponse response = event.getResponse();
            String answer = response.getHeaders() + "\n" + new String(response.getBody() == null ? new byte[0] : response.getBody(),
                    StandardCharsets.ISO_8859_1);
            assertThat(answer).as("answer to %s", url).doesNotContain(keyMarker);
            if (!url.startsWith(TOKEN_PATH)) {
                assertThat(answer).as("answer to %s", url).doesNotContain(token);
            }
        }
        for (Throwable e : thrown) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            assertThat(trace.toString()).doesNotContain(keyMarker).doesNotContain(token);
        }
        assertThat(logs).doesNotContain(keyMarker).doesNotContain(token).doesNotContain(privateKeyPem.split("\n")[1]);
    }

    /** A recorded Google answer of {@code src/test/resources/gcp} (its {@code .source} file says where it is from). */
    public static String recorded(String name) {
        try (InputStream in = GcpFixture.class.getResourceAsStream("/gcp/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no recorded response /gcp/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode recordedJson(String name) {
        return readTree(recorded(name));
    }

    static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }

    /** A recorded instance list (list or aggregated list) with {@code status} for the named instances. */
    public static String withStatus(String list, String status, String... names) {
        List<String> wanted = List.of(names);
        JsonNode tree = readTree(list);
        instanceArrays(tree).forEach(instances -> instances.forEach(instance -> {
            if (wanted.contains(instance.get("name").asText())) {
                ((ObjectNode) instance).put("status", status);
            }
        }));
        return tree.toString();
    }

    /** A recorded instance list (list or aggregated list) without the named instance. */
    public static String without(String list, String name) {
        JsonNode tree = readTree(list);
        for (JsonNode instances : instanceArrays(tree)) {
            for (Iterator<JsonNode> it = instances.iterator(); it.hasNext(); ) {
                if (it.next().get("name").asText().equals(name)) {
                    it.remove();
                }
            }
        }
        return tree.toString();
    }

    /** The instance arrays of a list ({@code items}) or of an aggregated list ({@code items.<zone>.instances}). */
    private static List<JsonNode> instanceArrays(JsonNode tree) {
        JsonNode items = tree.path("items");
        if (items.isArray()) {
            return List.of(items);
        }
        List<JsonNode> arrays = new ArrayList<>();
        items.properties().forEach(zone -> {
            if (zone.getValue().has("instances")) {
                arrays.add(zone.getValue().get("instances"));
            }
        });
        return arrays;
    }

    @Override
    public void close() {
        wireMock.stop();
    }

    private static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(byte[] pkcs8) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";
    }
}
