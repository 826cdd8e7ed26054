package io.tocsin.cloud.provider.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlockList;
import com.azure.storage.blob.models.BlockListType;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An upload three times larger than the heap of the JVM that makes it: {@link LargeUploadMain} runs with
 * {@code -Xmx64m} (and exits on OutOfMemoryError) and streams 192 MiB of unknown length to Azurite
 * ({@link AzuriteServer}), with its token from WireMock as Entra ID. Proves the adapter holds a block, not the file,
 * with the default 8 MiB block size; what Azurite committed is read back (block list, Content-MD5, the bytes' digest).
 */
class AzureBlobLargeUploadTest {

    private static final long SIZE = 192L * 1024 * 1024;

    @Test
    void anUploadLargerThanTheHeapSucceeds() throws Exception {
        WireMockServer entra = new WireMockServer(options().httpDisabled(true).dynamicHttpsPort().bindAddress("127.0.0.1"));
        entra.start();
        try (AzuriteServer azurite = new AzuriteServer(AzureFixtures.ACCOUNT)) {
            String token = AzuriteServer.token(AzureFixtures.TENANT, AzuriteServer.STORAGE_AUDIENCE);
            entra.stubFor(post(urlPathEqualTo(AzureFixtures.TOKEN_PATH)).willReturn(okJson(AzuriteServer.tokenResponse(token))));
            azurite.createContainer("sink");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                    "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"), LargeUploadMain.class.getName(),
                    "https://127.0.0.1:" + entra.httpsPort() + "/", azurite.base() + "{account}", Long.toString(SIZE))
                    .redirectErrorStream(true).start();
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(output).isZero();
            assertThat(output).contains("STORED " + SIZE).doesNotContain(AzureFixtures.SECRET).doesNotContain(token);
            long heap = Long.parseLong(output.replaceAll("(?s).*heap (\\d+).*", "$1"));
            assertThat(SIZE).isGreaterThan(3 * heap - 1);

            BlobContainerClient sink = azurite.container("sink");
            BlobProperties properties = sink.getBlobClient("large.bin").getProperties();
            assertThat(properties.getBlobSize()).isEqualTo(SIZE);
            String expected = md5(LargeUploadMain.generated(SIZE));
            // What the adapter computed while streaming, which Azurite stored as the blob's Content-MD5.
            assertThat(Base64.getEncoder().encodeToString(properties.getContentMd5())).isEqualTo(expected);
            // What Azurite holds, block after block in commit order: read back and digested, not kept.
            MessageDigest received = MessageDigest.getInstance("MD5");
            sink.getBlobClient("large.bin").downloadStream(new OutputStream() {
                @Override
                public void write(int b) {
                    received.update((byte) b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    received.update(b, off, len);
                }
            });
            assertThat(Base64.getEncoder().encodeToString(received.digest())).isEqualTo(expected);
            BlockList blocks = sink.getBlobClient("large.bin").getBlockBlobClient().listBlocks(BlockListType.ALL);
            int blockSize = AzureSettings.defaults().blockSize();
            assertThat(blocks.getCommittedBlocks()).hasSize((int) (SIZE / blockSize))
                    .allSatisfy(block -> assertThat(block.getSizeLong()).isEqualTo(blockSize));
            assertThat(blocks.getUncommittedBlocks()).isEmpty();
            assertThat(azurite.debugLog()).contains("Bearer " + token).doesNotContain(AzureFixtures.SECRET);
        } finally {
            entra.stop();
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
