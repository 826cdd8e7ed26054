package io.tocsin.cloud.provider.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.tocsin.cloud.provider.azure.AzureFixtures.ACCOUNT;
import static io.tocsin.cloud.provider.azure.AzureFixtures.SECRET;
import static io.tocsin.cloud.provider.azure.AzureFixtures.TOKEN;
import static io.tocsin.cloud.provider.azure.AzureFixtures.TOKEN_PATH;
import static io.tocsin.cloud.provider.azure.AzureFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.cloud.provider.CloudException.Kind;
import io.tocsin.cloud.provider.StoredObject;
import io.tocsin.cloud.provider.azure.FakeBlobService.Call;
import io.tocsin.testing.CapturedLogs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AzureBlobStorage} with the Azure Storage SDK against {@link FakeBlobService} (Put Block, Put Block List, List
 * Blobs, Get Blob over HTTPS as Azure implements them), and against WireMock serving recorded List Blobs pages. Blocks
 * are 64 KiB here, so a few hundred kilobytes make several blocks.
 */
class AzureBlobStorageTest {

    private static final int BLOCK = 65_536;
    private static final String KEY = "db/2025-01-01/full.tar.gz";

    private CapturedLogs logs;
    private FakeBlobService azure;
    private AzureBlobStorage storage;

    @BeforeEach
    void start() throws IOException {
        logs = new CapturedLogs();
        azure = new FakeBlobService();
        azure.createContainer("backups", false);
        storage = storage(azure.base());
    }

    @AfterEach
    void stop() {
        azure.close();
        logs.close();
        assertThat(logs.text()).doesNotContain(SECRET).doesNotContain(TOKEN.substring(0, 40));
        // On the wire the secret goes to the token endpoint only.
        assertThat(azure.calls).filteredOn(call -> !call.path().endsWith("/oauth2/v2.0/token"))
                .allSatisfy(call -> assertThat(call.headers() + String.valueOf(call.body())).doesNotContain(SECRET));
    }

    @Test
    void uploadsAStreamOfUnknownLengthInBlocksAndCommitsTheirList() throws Exception {
        byte[] data = bytes(200_000, 1);

        StoredObject stored = storage.upload(AzureFixtures.credential(), "backups", KEY, trickle(data, -1), -1, "application/gzip");

        FakeBlobService.Blob blob = azure.blobs("backups").get(KEY);
        assertThat(blob.data()).isEqualTo(data); // the bytes received are the bytes sent
        assertThat(blob.received()).isEqualTo(md5(data));
        assertThat(stored).isEqualTo(new StoredObject("backups", KEY, 200_000, Instant.from(
                java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.parse(blob.lastModified())), blob.etag().replace("\"", "")));
        List<Call> blocks = azure.calls.stream().filter(c -> "block".equals(c.query().get("comp"))).toList();
        assertThat(blocks).extracting(Call::length).containsExactly((long) BLOCK, (long) BLOCK, (long) BLOCK, 200_000L - 3 * BLOCK);
        List<String> ids = blocks.stream().map(c -> c.query().get("blockid")).toList();
        List<String> decoded = ids.stream().map(id -> new String(Base64.getDecoder().decode(id), StandardCharsets.US_ASCII)).toList();
        String upload = decoded.getFirst().substring(0, decoded.getFirst().length() - 7);
        assertThat(decoded).containsExactly(upload + "-000000", upload + "-000001", upload + "-000002", upload + "-000003");
        for (int i = 0; i < blocks.size(); i++) {
            Call call = blocks.get(i);
            assertThat(call.method()).isEqualTo("PUT");
            // Path-style: account, container, then the blob name, whose slashes the SDK escapes (Azure takes both).
            assertThat(call.path()).isEqualTo("/" + ACCOUNT + "/backups/db%2F2025-01-01%2Ffull.tar.gz");
            assertThat(call.headers()).containsEntry("authorization", "Bearer " + TOKEN).containsKey("x-ms-version")
                    .containsEntry("content-md5", md5(Arrays.copyOfRange(data, i * BLOCK, Math.min(data.length, (i + 1) * BLOCK))));
        }
        List<Call> commits = azure.calls.stream().filter(c -> "blocklist".equals(c.query().get("comp"))).toList();
        assertThat(commits).hasSize(1);
        assertThat(latest(commits.getFirst().body())).isEqualTo(ids); // the blocks, in order
        assertThat(commits.getFirst().headers()).containsEntry("x-ms-blob-content-md5", md5(data))
                .containsEntry("x-ms-blob-content-type", "application/gzip");
        assertThat(azure.uncommittedBlocks()).isZero();

        // Downloaded as stored, streamed into the caller's stream.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StoredObject downloaded = storage.download(AzureFixtures.credential(), "backups", KEY, out);
        assertThat(out.toByteArray()).isEqualTo(data);
        assertThat(downloaded).isEqualTo(stored);
    }

    @Test
    void anUploadOfKnownLengthAndAnEmptyOneAreBlobsToo() {
        byte[] data = bytes(BLOCK * 2, 2);
        StoredObject exact = storage.upload(AzureFixtures.credential(), "backups", "exact.bin", trickle(data, -1), data.length, null);
        assertThat(exact.size()).isEqualTo(data.length);
        assertThat(azure.blobs("backups").get("exact.bin").contentType()).isEqualTo("application/octet-stream");
        StoredObject empty = storage.upload(AzureFixtures.credential(), "backups", "empty.bin", InputStream.nullInputStream(), -1, null);
        assertThat(empty.size()).isZero();
        assertThat(latest(azure.calls.getLast().body())).isEmpty(); // Put Block List of no blocks: an empty blob
        assertThat(storage.list(AzureFixtures.credential(), "backups", "")).extracting(StoredObject::key).containsExactly("empty.bin", "exact.bin");
    }

    @Test
    void listsByPrefixFollowingNextMarkerPageAfterPage() {
        for (String key : List.of("db/1.gz", "db/2.gz", "db/3.gz", "logs/1.gz", "logs/2.gz")) {
            storage.upload(AzureFixtures.credential(), "backups", key, new ByteArrayInputStream(key.getBytes(StandardCharsets.UTF_8)), -1, null);
        }
        azure.calls.clear();

        assertThat(storage.list(AzureFixtures.credential(), "backups", "db/")).extracting(StoredObject::key, StoredObject::size)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("db/1.gz", 7L), org.assertj.core.groups.Tuple.tuple("db/2.gz", 7L),
                        org.assertj.core.groups.Tuple.tuple("db/3.gz", 7L));
        assertThat(azure.calls).extracting(c -> c.query().get("prefix") + "|" + c.query().get("marker"))
                .containsExactly("db/|null", "db/|db/3.gz"); // two pages of at most two
        assertThat(storage.list(AzureFixtures.credential(), "backups", null)).hasSize(5);
    }

    @Test
    void aFailedUploadLeavesNothingListed() {
        byte[] data = bytes(200_000, 3);
        azure.failPutBlock.set(3);
        CloudException busy = catchThrowableOfType(CloudException.class,
                () -> storage.upload(AzureFixtures.credential(), "backups", KEY, new ByteArrayInputStream(data), -1, null));
        assertThat(busy.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(busy.getMessage()).contains("upload of " + KEY, "block 2", "ServerBusy", "(HTTP 503)");

        CloudException broken = catchThrowableOfType(CloudException.class,
                () -> storage.upload(AzureFixtures.credential(), "backups", KEY, trickle(data, 100_000), -1, null));
        assertThat(broken.kind()).isEqualTo(Kind.INVALID);
        assertThat(broken.getMessage()).contains("reading the data failed", "nothing was committed");

        CloudException shorter = catchThrowableOfType(CloudException.class,
                () -> storage.upload(AzureFixtures.credential(), "backups", KEY, new ByteArrayInputStream(data), 300_000, null));
        assertThat(shorter.kind()).isEqualTo(Kind.INVALID);
        assertThat(shorter.getMessage()).contains("200000 bytes, not the 300000 announced");

        assertThat(azure.calls).noneMatch(c -> "blocklist".equals(c.query().get("comp")));
        assertThat(storage.list(AzureFixtures.credential(), "backups", "")).isEmpty();
        assertThat(azure.uncommittedBlocks()).isPositive(); // staged, invisible, left for Azure to discard
        for (CloudException e : List.of(busy, broken, shorter)) {
            assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain(TOKEN.substring(0, 40));
        }
    }

    @Test
    void errorsAreClassifiedAndAMissingStorageAccountNamed() {
        CloudException noAccount = catchThrowableOfType(CloudException.class, () -> storage.list(
                AzureFixtures.credential(Map.of("storage_account", "")), "backups", ""));
        assertThat(noAccount.kind()).isEqualTo(Kind.INVALID);
        assertThat(noAccount.getMessage()).contains("storage_account");
        assertThat(azure.calls).isEmpty();

        CloudException noContainer = catchThrowableOfType(CloudException.class, () -> storage.list(AzureFixtures.credential(), "nothere", ""));
        assertThat(noContainer.kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(noContainer.getMessage()).contains("ContainerNotFound", "The specified container does not exist.", "(HTTP 404)");

        azure.createContainer("locked", false);
        azure.denied.add("locked");
        CloudException denied = catchThrowableOfType(CloudException.class, () -> storage.upload(AzureFixtures.credential(), "locked", KEY,
                new ByteArrayInputStream(new byte[10]), 10, null));
        assertThat(denied.kind()).isEqualTo(Kind.DENIED);
        assertThat(denied.getMessage()).contains("AuthorizationPermissionMismatch", "(HTTP 403)");

        CloudException noBlob = catchThrowableOfType(CloudException.class, () -> storage.download(AzureFixtures.credential(), "backups",
                "missing.gz", new ByteArrayOutputStream()));
        assertThat(noBlob.kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(noBlob.getMessage()).contains("BlobNotFound");
    }

    @Test
    void readsRecordedListBlobsPages() {
        WireMockServer recorded = new WireMockServer(options().httpDisabled(true).dynamicHttpsPort().bindAddress("127.0.0.1"));
        recorded.start();
        try {
            String container = "/" + ACCOUNT + "/test_container";
            recorded.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(okJson(read("entra-token.json"))));
            recorded.stubFor(get(urlPathEqualTo(container)).withQueryParam("comp", equalTo("list")).withQueryParam("marker", absent())
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml").withBody(read("blob-listBlobs-page1.xml"))));
            String marker = "2!76!MDAwMDExIXNvbWUxMTcudHh0ITAwMDAyOCE5OTk5LTEyLTMxVDIzOjU5OjU5Ljk5OTk5OTlaIQ--";
            recorded.stubFor(get(urlPathEqualTo(container)).withQueryParam("comp", equalTo("list")).withQueryParam("marker", equalTo(marker))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml").withBody(read("blob-listBlobs-page2.xml"))));
            String base = "https://127.0.0.1:" + recorded.httpsPort() + "/";

            List<StoredObject> objects = storage(base).list(AzureFixtures.credential(), "test_container", "");

            assertThat(objects).containsExactly(
                    new StoredObject("test_container", "object1.txt", 0, Instant.parse("2013-01-04T09:48:06Z"), "0x8CFB877BB56A6FB"),
                    new StoredObject("test_container", "object2.txt", 1_048_576, Instant.parse("2013-01-05T03:51:42Z"), "0x8CFB90F1BA8CD8F"),
                    new StoredObject("test_container", "object3.txt", 1_048_576, Instant.parse("2013-01-05T03:52:08Z"), "0x8CFB90F2B6FC022"),
                    new StoredObject("test_container", "object4.txt", 0, Instant.parse("2013-01-04T10:20:14Z"), "0x8CFB87C38717450"));
            List<LoggedRequest> pages = recorded.findAll(getRequestedFor(urlPathEqualTo(container)));
            assertThat(pages).hasSize(2);
            assertThat(pages).allSatisfy(r -> {
                assertThat(r.queryParameter("restype").firstValue()).isEqualTo("container");
                assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
            });
            assertThat(pages.get(1).queryParameter("marker").firstValue()).isEqualTo(marker);
        } finally {
            recorded.stop();
        }
    }

    private static AzureBlobStorage storage(String base) {
        return new AzureBlobStorage(new AzureClients(AzureFixtures.settings(base, base + "{account}", Duration.ofSeconds(5), BLOCK),
                AzureTestTls.client()));
    }

    /** {@code data} in reads of at most 10,000 bytes, as a network stream gives it; failing after {@code failAt} bytes (-1: never). */
    static InputStream trickle(byte[] data, int failAt) {
        return new InputStream() {
            private int position;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (failAt >= 0 && position >= failAt) {
                    throw new IOException("connection reset by the uploader");
                }
                if (position == data.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, 10_000), data.length - position);
                System.arraycopy(data, position, b, off, n);
                position += n;
                return n;
            }
        };
    }

    static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    static String md5(byte[] data) throws RuntimeException {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> latest(String xml) {
        Matcher m = Pattern.compile("<Latest>([^<]*)</Latest>").matcher(xml);
        List<String> ids = new java.util.ArrayList<>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }
}
