package io.tocsin.cloud.provider.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.credentials.Provider;
import io.tocsin.cloud.provider.StoredObject;
import java.io.InputStream;
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
 * unknown length through {@link GcsBackupStorage} (8 MiB chunks) to {@link GcpFixture#digestsOnly()}, which speaks
 * the resumable protocol (https://cloud.google.com/storage/docs/performing-resumable-uploads) and keeps only the
 * size and digests of what it received; the digests and sizes must match.
 */
class GcsUploadLargerThanHeapTest {

    static final long SIZE = 160L * 1024 * 1024;

    @Test
    void aStreamTwiceTheHeapIsUploadedInChunks() throws Exception {
        try (GcpFixture google = GcpFixture.digestsOnly().serveCloudStorage()) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process child = new ProcessBuilder(java.toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                    Child.class.getName(), google.baseUrl(), Long.toString(SIZE)).redirectErrorStream(true).start();
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(output).isZero();

            Matcher heap = Pattern.compile("heap (\\d+)").matcher(output);
            assertThat(heap.find()).as(output).isTrue();
            assertThat(Long.parseLong(heap.group(1))).as("the uploading JVM's heap").isLessThanOrEqualTo(SIZE / 2);
            GcpFixture.Stored stored = google.objects().get("backups/big.bin");
            assertThat(stored).as("the session was finished").isNotNull();
            assertThat(stored.size()).isEqualTo(SIZE);
            assertThat(output).contains("stored " + SIZE).contains("sent " + stored.sha256());
        }
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
