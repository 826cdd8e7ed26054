package io.tocsin.cloud.provider.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.credentials.Provider;
import io.tocsin.cloud.provider.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A backup larger than the uploading JVM's heap goes to Cloud Storage: a JVM with {@code -Xmx64m} streams 160 MiB of
 * unknown length through {@link GcsBackupStorage} (8 MiB chunks) to a small server in this JVM that speaks the
 * resumable protocol (https://cloud.google.com/storage/docs/performing-resumable-uploads) and keeps only a digest
 * of what it received; the digests and sizes must match. WireMock is not used here because it keeps every body.
 */
class GcsUploadLargerThanHeapTest {

    static final long SIZE = 160L * 1024 * 1024;
    static final Pattern RANGE = Pattern.compile("bytes (?:(\\d+)-(\\d+)|\\*)/(\\*|\\d+)");

    long received;
    final MessageDigest digest = sha256();
    volatile boolean finished;

    @Test
    void aStreamTwiceTheHeapIsUploadedInChunks() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", exchange -> answer(exchange, 200, GcpFixture.recorded("oauth2-token.json"), Map.of()));
        server.createContext("/upload/storage/v1/b/backups/o", this::upload);
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process child = new ProcessBuilder(java.toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                    Child.class.getName(), base, Long.toString(SIZE)).redirectErrorStream(true).start();
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(output).isZero();

            Matcher heap = Pattern.compile("heap (\\d+)").matcher(output);
            assertThat(heap.find()).as(output).isTrue();
            assertThat(Long.parseLong(heap.group(1))).as("the uploading JVM's heap").isLessThanOrEqualTo(SIZE / 2);
            assertThat(output).contains("stored " + SIZE).contains("sent " + HexFormat.of().formatHex(digest.digest()));
            assertThat(received).isEqualTo(SIZE);
            assertThat(finished).isTrue();
        } finally {
            server.stop(0);
        }
    }

    /** POST opens the session; PUTs must continue where it stands; the one with the total finishes it. */
    private void upload(HttpExchange exchange) throws IOException {
        if (exchange.getRequestMethod().equals("POST")) {
            exchange.getRequestBody().readAllBytes();
            String location = "http://127.0.0.1:" + exchange.getLocalAddress().getPort() + "/upload/storage/v1/b/backups/o?upload_id=big";
            answer(exchange, 200, "", Map.of("Location", location));
            return;
        }
        Matcher range = RANGE.matcher(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Range")));
        if (!range.matches() || (range.group(1) != null && Long.parseLong(range.group(1)) != received)) {
            answer(exchange, 400, "{\"error\": {\"code\": 400, \"message\": \"bad Content-Range\"}}", Map.of());
            return;
        }
        try (InputStream body = exchange.getRequestBody()) {
            byte[] buffer = new byte[64 * 1024];
            for (int read; (read = body.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, read);
                received += read;
            }
        }
        if (range.group(3).equals("*")) {
            answer(exchange, 308, "", Map.of("Range", "bytes=0-" + (received - 1)));
        } else {
            finished = Long.parseLong(range.group(3)) == received;
            String object = GcpFixture.recorded("storage-object.json").replace("\"demo-image\"", "\"big.bin\"")
                    .replace("\"qwiklabs-gcp-02-5d551758b5a7\"", "\"backups\"").replace("\"401951\"", "\"" + received + "\"")
                    .replaceAll("\"(md5Hash|crc32c)\": \"[^\"]*\",", "");
            answer(exchange, finished ? 200 : 400, object, Map.of("Content-Type", "application/json"));
        }
    }

    private static void answer(HttpExchange exchange, int status, String body, Map<String, String> headers) throws IOException {
        headers.forEach(exchange.getResponseHeaders()::add);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs in the small JVM: uploads {@code size} pseudo-random bytes of unknown length, prints what it sent. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            String base = args[0];
            long size = Long.parseLong(args[1]);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(generator.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
            CloudCredential credential = new CloudCredential("big", Provider.GCP, "big", "", null, Map.of("type", "service_account",
                    "project_id", "project_name", "private_key", pem, "client_email", "tocsin@project_name.iam.gserviceaccount.com"),
                    Instant.now(), Instant.now());
            GcpSettings settings = new GcpSettings(base, base, base + "/token", Duration.ofSeconds(5), Duration.ofSeconds(30),
                    Duration.ofSeconds(60), 1, Duration.ofMinutes(1), Duration.ofSeconds(1), 8 * 1024 * 1024);
            MessageDigest sent = sha256();
            InputStream data = new InputStream() {
                final Random random = new Random(42);
                long left = size;

                @Override
                public int read() {
                    throw new UnsupportedOperationException("read in blocks");
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    if (left == 0) {
                        return -1;
                    }
                    int n = (int) Math.min(length, left);
                    byte[] block = new byte[n];
                    random.nextBytes(block);
                    System.arraycopy(block, 0, buffer, offset, n);
                    sent.update(block);
                    left -= n;
                    return n;
                }
            };
            StoredObject stored = new GcsBackupStorage(settings, new GcpCredentials(settings))
                    .upload(credential, "backups", "big.bin", data, -1, null);
            System.out.println("heap " + Runtime.getRuntime().maxMemory());
            System.out.println("stored " + stored.size());
            System.out.println("sent " + HexFormat.of().formatHex(sent.digest()));
        }
    }
}
