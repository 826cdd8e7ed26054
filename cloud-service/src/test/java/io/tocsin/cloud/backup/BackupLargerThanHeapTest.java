package io.tocsin.cloud.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.tocsin.cloud.api.CloudServiceHarness;
import io.tocsin.cloud.api.CredentialBodies;
import io.tocsin.cloud.provider.gcp.GcpFixture;
import io.tocsin.common.security.SecretBox;
import io.tocsin.schema.BackupCompleted;
import io.tocsin.schema.BackupOutcome;
import io.tocsin.schema.wire.Codecs;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.TopicReader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 10's "done when": an upload of a file larger than the cloud service's heap succeeds. The cloud service runs
 * in a child JVM with {@code -Xmx96m} (on the test broker); this JVM sends it {@value #SIZE} bytes of generated data
 * as a streamed multipart upload through {@code POST /api/v1/cloud/backups}, and the Google Cloud Storage adapter
 * passes them on in 8 MiB resumable chunks to {@link GcpFixture#digestsOnly()}, which keeps only a digest. The digest and
 * size received must be what was sent, the answer 201 and the BackupCompleted SUCCEEDED.
 */
@ExtendWith(KafkaBrokerExtension.class)
class BackupLargerThanHeapTest {

    static final long SIZE = 200L * 1024 * 1024;
    static final String HEAP = "-Xmx96m";
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aFileTwiceTheServicesHeapIsUploadedThroughTheApi() throws Exception {
        String bootstrap = KafkaBrokerExtension.broker().bootstrapServers();
        String prefix = "big" + System.nanoTime() + ".";
        try (GcpFixture google = GcpFixture.digestsOnly().serveCloudStorage()) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process child = new ProcessBuilder(java.toString(), HEAP, "-cp", System.getProperty("java.class.path"), Child.class.getName(),
                    bootstrap, prefix, SecretBox.newKey(), google.baseUrl()).redirectErrorStream(true).start();
            StringBuffer output = new StringBuffer();
            CompletableFuture<Integer> port = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        output.append(line).append('\n');
                        if (line.startsWith("port ")) {
                            port.complete(Integer.parseInt(line.substring(5).strip()));
                        }
                    }
                } catch (Exception e) {
                    port.completeExceptionally(e);
                }
                port.completeExceptionally(new AssertionError("the child ended without a port:\n" + output));
            });
            try {
                String base = "http://127.0.0.1:" + port.get(90, TimeUnit.SECONDS);
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/cloud/credentials"))
                        .header("Authorization", "Bearer " + CloudServiceHarness.ADMIN_TOKEN).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(CredentialBodies.gcp("big"))).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                String credential = JSON.readTree(created.body()).get("id").asText();

                MessageDigest sent = MessageDigest.getInstance("SHA-256");
                HttpResponse<String> uploaded = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/cloud/backups"))
                        .header("Authorization", "Bearer " + CloudServiceHarness.ADMIN_TOKEN).header("Content-Type", Multipart.CONTENT_TYPE)
                        .POST(Multipart.body(Map.of("credential", credential, "bucket", "backups", "key", "big.bin"), "big.bin",
                                () -> Multipart.generated(SIZE, 42, sent))).build(), HttpResponse.BodyHandlers.ofString());

                assertThat(uploaded.statusCode()).as(uploaded.body() + "\n" + output).isEqualTo(201);
                JsonNode body = JSON.readTree(uploaded.body());
                assertThat(body.get("size").asLong()).isEqualTo(SIZE);
                GcpFixture.Stored stored = google.objects().get("backups/big.bin");
                assertThat(stored.size()).isEqualTo(SIZE);
                assertThat(stored.sha256()).isEqualTo(HexFormat.of().formatHex(sent.digest()));
                Matcher heap = Pattern.compile("heap (\\d+)").matcher(output);
                assertThat(heap.find()).as(output.toString()).isTrue();
                assertThat(Long.parseLong(heap.group(1))).as("the cloud service's heap").isLessThanOrEqualTo(SIZE / 2);
                List<BackupCompleted> events = TopicReader.readAll(bootstrap, prefix + "backups", Duration.ofSeconds(10)).stream()
                        .map(record -> Codecs.BACKUP_COMPLETED.decode(record.value())).toList();
                assertThat(events).extracting(BackupCompleted::getOutcome).containsExactly(BackupOutcome.SUCCEEDED);
                assertThat(events.getFirst().getSize()).isEqualTo(SIZE);
            } finally {
                child.getOutputStream().close(); // the child stops when its stdin ends
                if (!child.waitFor(20, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
            }
        }
    }

    /** The cloud service in the small JVM: prints its port and heap, stops when stdin ends. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Map<String, Object> properties = Map.of(
                    "micronaut.server.port", -1,
                    "tocsin.kafka.bootstrap-servers", args[0],
                    "tocsin.kafka.topic-prefix", args[1],
                    "tocsin.security.admin-token", CloudServiceHarness.ADMIN_TOKEN,
                    "tocsin.secrets.key", args[2],
                    "tocsin.cloud.gcp.storage-endpoint", args[3],
                    "tocsin.cloud.gcp.token-endpoint", args[3] + "/token");
            // The cloud environment, as CloudApplication starts it: its request limits are the ones under test.
            try (EmbeddedServer server = ApplicationContext.builder().environments("cloud").properties(properties).run(EmbeddedServer.class)) {
                System.out.println("heap " + Runtime.getRuntime().maxMemory());
                System.out.println("port " + server.getPort());
                System.in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            System.exit(0);
        }
    }
}
