package io.tocsin.cloud.provider.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.tocsin.cloud.provider.azure.AzureFixtures.ACCOUNT;
import static io.tocsin.cloud.provider.azure.AzureFixtures.SECRET;
import static io.tocsin.cloud.provider.azure.AzureFixtures.TENANT;
import static io.tocsin.cloud.provider.azure.AzureFixtures.TOKEN;
import static io.tocsin.cloud.provider.azure.AzureFixtures.TOKEN_PATH;
import static io.tocsin.cloud.provider.azure.AzureFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.Block;
import com.azure.storage.blob.models.BlockList;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.cloud.provider.CloudException.Kind;
import io.tocsin.cloud.provider.StoredObject;
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
 * {@link AzureBlobStorage} with the Azure Storage SDK against Azurite ({@link AzuriteServer}, Microsoft's Blob
 * emulator: Put Block, Put Block List, List Blobs, Get Blob, bearer tokens checked), reached through WireMock, which
 * serves the Entra ID token endpoint, proxies every other request to Azurite and journals what went on the wire (block
 * sizes, headers, the committed list), and injects the one failure Azurite cannot make (a 503 on a block). What was
 * stored is read back from Azurite's own answers (blob properties, Get Block List). List Blobs pages are tested on
 * recorded Azure pages (Azurite pages by 5,000). Blocks are 64 KiB here, so a few hundred kilobytes make several.
 */
class AzureBlobStorageTest {

    private static final int BLOCK = 65_536;
    private static final String KEY = "db/2025-01-01/full.tar.gz";
    /** The tenant of a credential whose token is for another storage account. */
    private static final String OTHER_TENANT = "0b8a4f3e-1a2b-4c3d-8e9f-5d6c7b8a9f01";

    private CapturedLogs logs;
    private AzuriteServer azurite;
    private WireMockServer front;
    private String token;
    private AzureBlobStorage storage;

    @BeforeEach
    void start() throws IOException {
        logs = new CapturedLogs();
        azurite = new AzuriteServer(ACCOUNT);
        azurite.createContainer("backups");
        // WireMock trusts Azurite's certificate (the test one) as a proxy target on 127.0.0.1 only.
        front = new WireMockServer(options().httpDisabled(true).dynamicHttpsPort().bindAddress("127.0.0.1").trustedProxyTargets("127.0.0.1"));
        front.start();
        token = AzuriteServer.token(TENANT, AzuriteServer.STORAGE_AUDIENCE);
        front.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(okJson(AzuriteServer.tokenResponse(token))));
        front.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(azurite.base().replaceAll("/$", ""))));
        storage = storage(base(front));
    }

    @AfterEach
    void stop() {
        if (azurite == null) {
            logs.close();
            return; // Azurite did not start: its exception is the test's failure
        }
        String received = azurite.debugLog();
        List<ServeEvent> wire = front.getAllServeEvents();
        front.stop();
        azurite.close();
        logs.close();
        String claims = token.split("\\.")[1];
        assertThat(logs.text()).doesNotContain(SECRET).doesNotContain(claims);
        // On the wire the secret goes to the token endpoint only: not to Azurite, as WireMock forwarded or Azurite logged.
        assertThat(wire).filteredOn(e -> !e.getRequest().getUrl().contains("/oauth2/v2.0/token"))
                .allSatisfy(e -> assertThat(e.getRequest().getHeaders() + e.getRequest().getBodyAsString()).doesNotContain(SECRET));
        assertThat(received).doesNotContain(SECRET);
    }

    @Test
    void uploadsAStreamOfUnknownLengthInBlocksAndCommitsTheirList() throws Exception {
        byte[] data = bytes(200_000, 1);

        StoredObject stored = storage.upload(AzureFixtures.credential(), "backups", KEY, trickle(data, -1), -1, "application/gzip");

        // Azurite's answers: the blob it committed, its blocks, nothing left uncommitted.
        BlockBlobClient blob = azurite.container("backups").getBlobClient(KEY).getBlockBlobClient();
        BlobProperties properties = blob.getProperties();
        assertThat(properties.getContentMd5()).isEqualTo(Base64.getDecoder().decode(md5(data)));
        assertThat(properties.getContentType()).isEqualTo("application/gzip");
        assertThat(stored).isEqualTo(new StoredObject("backups", KEY, 200_000, properties.getLastModified().toInstant(),
                properties.getETag().replace("\"", "")));
        BlockList blocks = blob.listBlocks(BlockListType.ALL);
        assertThat(blocks.getUncommittedBlocks()).isEmpty();
        assertThat(blocks.getCommittedBlocks()).extracting(Block::getSizeLong)
                .containsExactly((long) BLOCK, (long) BLOCK, (long) BLOCK, 200_000L - 3 * BLOCK);
        List<String> ids = blocks.getCommittedBlocks().stream().map(Block::getName).toList();
        List<String> decoded = ids.stream().map(id -> new String(Base64.getDecoder().decode(id), StandardCharsets.US_ASCII)).toList();
        String upload = decoded.getFirst().substring(0, decoded.getFirst().length() - 7);
        assertThat(decoded).containsExactly(upload + "-000000", upload + "-000001", upload + "-000002", upload + "-000003");

        // The wire: one Put Block per block, in order, each with its MD5 and the token; then one Put Block List.
        List<LoggedRequest> puts = front.findAll(putRequestedFor(anyUrl()).withQueryParam("comp", equalTo("block")));
        assertThat(puts).extracting(r -> r.queryParameter("blockid").firstValue()).containsExactlyElementsOf(ids);
        for (int i = 0; i < puts.size(); i++) {
            LoggedRequest put = puts.get(i);
            byte[] expected = Arrays.copyOfRange(data, i * BLOCK, Math.min(data.length, (i + 1) * BLOCK));
            assertThat(put.getBody()).isEqualTo(expected);
            // Path-style: account, container, then the blob name, whose slashes the SDK escapes (Azure takes both).
            assertThat(put.getUrl()).startsWith("/" + ACCOUNT + "/backups/db%2F2025-01-01%2Ffull.tar.gz?");
            assertThat(put.getHeader("Authorization")).isEqualTo("Bearer " + token);
            assertThat(put.getHeader("Content-MD5")).isEqualTo(md5(expected));
            assertThat(put.getHeader("x-ms-version")).isNotBlank();
        }
        List<LoggedRequest> commits = front.findAll(putRequestedFor(anyUrl()).withQueryParam("comp", equalTo("blocklist")));
        assertThat(commits).hasSize(1);
        assertThat(azurite.debugLog()).contains("Bearer " + token); // what Azurite received and accepted
        assertThat(latest(commits.getFirst().getBodyAsString())).isEqualTo(ids); // the blocks, in order
        assertThat(commits.getFirst().getHeader("x-ms-blob-content-md5")).isEqualTo(md5(data));
        assertThat(commits.getFirst().getHeader("x-ms-blob-content-type")).isEqualTo("application/gzip");

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
        assertThat(azurite.container("backups").getBlobClient("exact.bin").getProperties().getContentType()).isEqualTo("application/octet-stream");
        StoredObject empty = storage.upload(AzureFixtures.credential(), "backups", "empty.bin", InputStream.nullInputStream(), -1, null);
        assertThat(empty.size()).isZero();
        List<LoggedRequest> commits = front.findAll(putRequestedFor(anyUrl()).withQueryParam("comp", equalTo("blocklist")));
        assertThat(latest(commits.getLast().getBodyAsString())).isEmpty(); // Put Block List of no blocks: an empty blob
        assertThat(azurite.container("backups").getBlobClient("empty.bin").getProperties().getBlobSize()).isZero();
        assertThat(storage.list(AzureFixtures.credential(), "backups", "")).extracting(StoredObject::key).containsExactly("empty.bin", "exact.bin");
    }

    @Test
    void listsByPrefix() {
        for (String key : List.of("db/1.gz", "db/2.gz", "db/3.gz", "logs/1.gz", "logs/2.gz")) {
            storage.upload(AzureFixtures.credential(), "backups", key, new ByteArrayInputStream(key.getBytes(StandardCharsets.UTF_8)), -1, null);
        }
        front.resetRequests();

        assertThat(storage.list(AzureFixtures.credential(), "backups", "db/")).extracting(StoredObject::key, StoredObject::size)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("db/1.gz", 7L), org.assertj.core.groups.Tuple.tuple("db/2.gz", 7L),
                        org.assertj.core.groups.Tuple.tuple("db/3.gz", 7L));
        assertThat(front.findAll(getRequestedFor(anyUrl()).withQueryParam("comp", equalTo("list"))))
                .extracting(r -> r.queryParameter("prefix").firstValue()).containsExactly("db/");
        assertThat(storage.list(AzureFixtures.credential(), "backups", null)).hasSize(5);
    }

    @Test
    void aFailedUploadLeavesNothingListed() {
        byte[] data = bytes(200_000, 3);
        // The third block (index 2) refused as Azure does when busy (https://learn.microsoft.com/rest/api/storageservices/
        // common-rest-api-error-codes). Its id is base64("<12 hex>-000002"), whose last 12 characters are fixed.
        StubMapping busyBlock = front.stubFor(put(anyUrl()).atPriority(1).withQueryParam("comp", equalTo("block")).withQueryParam("blockid", matching(".*LTAwMDAwMg=="))
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/xml").withHeader("x-ms-error-code", "ServerBusy")
                        .withBody("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>ServerBusy</Code><Message>The server is currently "
                                + "unable to receive requests. Please retry your request.\nRequestId:5f2b1c3e-201e-0055-2c3f-9b1a2f000000\n"
                                + "Time:2025-01-01T00:00:00.0000000Z</Message></Error>")));
        CloudException busy = catchThrowableOfType(CloudException.class,
                () -> storage.upload(AzureFixtures.credential(), "backups", KEY, new ByteArrayInputStream(data), -1, null));
        assertThat(busy.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(busy.getMessage()).contains("upload of " + KEY, "block 2", "ServerBusy", "(HTTP 503)");
        front.removeStub(busyBlock);

        CloudException broken = catchThrowableOfType(CloudException.class,
                () -> storage.upload(AzureFixtures.credential(), "backups", KEY, trickle(data, 100_000), -1, null));
        assertThat(broken.kind()).isEqualTo(Kind.INVALID);
        assertThat(broken.getMessage()).contains("reading the data failed", "nothing was committed");

        CloudException shorter = catchThrowableOfType(CloudException.class,
                () -> storage.upload(AzureFixtures.credential(), "backups", KEY, new ByteArrayInputStream(data), 300_000, null));
        assertThat(shorter.kind()).isEqualTo(Kind.INVALID);
        assertThat(shorter.getMessage()).contains("200000 bytes, not the 300000 announced");

        assertThat(front.findAll(putRequestedFor(anyUrl()).withQueryParam("comp", equalTo("blocklist")))).isEmpty();
        assertThat(storage.list(AzureFixtures.credential(), "backups", "")).isEmpty();
        // Staged, invisible, left for Azure to discard: Azurite lists them as uncommitted blocks of a blob that does not exist.
        BlockBlobClient blob = azurite.container("backups").getBlobClient(KEY).getBlockBlobClient();
        assertThat(blob.exists()).isFalse();
        assertThat(blob.listBlocks(BlockListType.UNCOMMITTED).getUncommittedBlocks()).isNotEmpty();
        for (CloudException e : List.of(busy, broken, shorter)) {
            assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain(token);
        }
    }

    @Test
    void errorsAreClassifiedAndAMissingStorageAccountNamed() {
        CloudException noAccount = catchThrowableOfType(CloudException.class, () -> storage.list(
                AzureFixtures.credential(Map.of("storage_account", "")), "backups", ""));
        assertThat(noAccount.kind()).isEqualTo(Kind.INVALID);
        assertThat(noAccount.getMessage()).contains("storage_account");
        assertThat(front.getAllServeEvents()).isEmpty();

        CloudException noContainer = catchThrowableOfType(CloudException.class, () -> storage.list(AzureFixtures.credential(), "nothere", ""));
        assertThat(noContainer.kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(noContainer.getMessage()).contains("ContainerNotFound", "The specified container does not exist.", "(HTTP 404)");

        // A token Azure (and Azurite) refuses: one for another storage account (a per-account audience).
        front.stubFor(post(urlPathEqualTo("/" + OTHER_TENANT + "/oauth2/v2.0/token")).willReturn(okJson(AzuriteServer.tokenResponse(
                AzuriteServer.token(OTHER_TENANT, "https://someoneelse.blob.core.windows.net")))));
        CloudException denied = catchThrowableOfType(CloudException.class, () -> storage.upload(
                AzureFixtures.credential(Map.of("tenant_id", OTHER_TENANT)), "backups", KEY, new ByteArrayInputStream(new byte[10]), 10, null));
        assertThat(denied.kind()).isEqualTo(Kind.DENIED);
        assertThat(denied.getMessage()).contains("AuthenticationFailed", "(HTTP 403)");

        CloudException noBlob = catchThrowableOfType(CloudException.class, () -> storage.download(AzureFixtures.credential(), "backups",
                "missing.gz", new ByteArrayOutputStream()));
        assertThat(noBlob.kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(noBlob.getMessage()).contains("BlobNotFound");
    }

    @Test
    void readsRecordedListBlobsPagesAndErrors() {
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
            // An application without a Storage Blob Data role (Azurite has no roles: a recorded answer).
            recorded.stubFor(put(urlPathMatching("/" + ACCOUNT + "/locked/.*")).willReturn(aResponse().withStatus(403)
                    .withHeader("Content-Type", "application/xml").withHeader("x-ms-error-code", "AuthorizationPermissionMismatch")
                    .withBody(read("blob-error-AuthorizationPermissionMismatch.xml"))));
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

            CloudException denied = catchThrowableOfType(CloudException.class, () -> storage(base).upload(AzureFixtures.credential(), "locked",
                    KEY, new ByteArrayInputStream(new byte[10]), 10, null));
            assertThat(denied.kind()).isEqualTo(Kind.DENIED);
            assertThat(denied.getMessage()).contains("AuthorizationPermissionMismatch", "(HTTP 403)").doesNotContain(SECRET);
        } finally {
            recorded.stop();
        }
    }

    private static String base(WireMockServer server) {
        return "https://127.0.0.1:" + server.httpsPort() + "/";
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
