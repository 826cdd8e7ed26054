package io.tocsin.cloud.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An upload three times larger than the heap of the JVM that makes it: {@link LargeUploadMain} runs with
 * {@code -Xmx64m} (and exits on OutOfMemoryError) and streams 192 MiB of unknown length to {@link FakeBlobService},
 * which keeps a digest of what it receives instead of the bytes. Proves the adapter holds a block, not the file, with
 * the default 8 MiB block size.
 */
class AzureBlobLargeUploadTest {

    private static final long SIZE = 192L * 1024 * 1024;

    @Test
    void anUploadLargerThanTheHeapSucceeds() throws Exception {
        try (FakeBlobService azure = new FakeBlobService()) {
            azure.createContainer("sink", true);
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                    "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"), LargeUploadMain.class.getName(),
                    azure.base(), Long.toString(SIZE)).redirectErrorStream(true).start();
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(output).isZero();
            assertThat(output).contains("STORED " + SIZE).doesNotContain(AzureFixtures.SECRET).doesNotContain(AzureFixtures.TOKEN.substring(0, 40));
            long heap = Long.parseLong(output.replaceAll("(?s).*heap (\\d+).*", "$1"));
            assertThat(SIZE).isGreaterThan(3 * heap - 1);

            FakeBlobService.Blob blob = azure.blobs("sink").get("large.bin");
            assertThat(blob.size()).isEqualTo(SIZE);
            String expected = md5(LargeUploadMain.generated(SIZE));
            assertThat(blob.received()).isEqualTo(expected); // what arrived, block after block in commit order
            assertThat(blob.contentMd5()).isEqualTo(expected); // what the adapter computed while streaming
            List<FakeBlobService.Call> blocks = azure.calls.stream().filter(c -> "block".equals(c.query().get("comp"))).toList();
            assertThat(blocks).hasSize((int) (SIZE / AzureSettings.defaults().blockSize()));
        }
    }

    private static String md5(InputStream in) throws IOException, java.security.NoSuchAlgorithmException {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer, 0, buffer.length)) > 0; ) {
            md5.update(buffer, 0, n);
        }
        return Base64.getEncoder().encodeToString(md5.digest());
    }
}
