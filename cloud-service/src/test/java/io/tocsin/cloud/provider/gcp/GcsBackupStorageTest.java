package io.tocsin.cloud.provider.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.cloud.provider.CloudException.Kind;
import io.tocsin.cloud.provider.StoredObject;
import io.tocsin.testing.CapturedLogs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GcsBackupStorage} through the real {@code google-cloud-storage} client against WireMock: resumable uploads
 * answered by {@link ResumableUploads} (the documented protocol, contiguity and totals checked), listings paged
 * through {@code nextPageToken} and downloads, built from the recorded object resource; a failed upload never
 * sends its last chunk, so no object appears. No secret anywhere.
 */
class GcsBackupStorageTest {

    static final int CHUNK = GcpSettings.CHUNK_QUANTUM; // 256 KiB, the smallest chunk Cloud Storage takes
    static final String UPLOAD = "/upload/storage/v1/b/backups/o";
    static final Pattern RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\*|\\d+)|bytes \\*/(\\d+)");

    GcpFixture google;
    CapturedLogs logs;
    GcsBackupStorage storage;

    @BeforeEach
    void start() {
        logs = new CapturedLogs();
        google = new GcpFixture();
        GcpSettings settings = google.settings();
        storage = new GcsBackupStorage(settings, new GcpCredentials(settings));
        google.wireMock.stubFor(post(urlPathEqualTo(UPLOAD)).withQueryParam("uploadType", equalTo("resumable"))
                .willReturn(aResponse().withTransformers(ResumableUploads.NAME)));
        google.wireMock.stubFor(put(urlPathEqualTo(UPLOAD)).withQueryParam("upload_id", equalTo("session-1"))
                .willReturn(aResponse().withTransformers(ResumableUploads.NAME)));
    }

    @AfterEach
    void stop() {
        try {
            google.assertNoSecretLeaked(logs.text());
        } finally {
            google.close();
            logs.close();
        }
    }

    @Test
    void aStreamOfUnknownLengthGoesUpInChunksOfTheConfiguredSize() throws Exception {
        byte[] data = random(3 * CHUNK + 12_345);

        StoredObject stored = storage.upload(google.credential(null), "backups", "daily/db.tar", new ByteArrayInputStream(data), -1,
                "application/x-tar");

        assertThat(stored.bucket()).isEqualTo("backups");
        assertThat(stored.key()).isEqualTo("daily/db.tar");
        assertThat(stored.size()).isEqualTo(data.length);
        assertThat(stored.etag()).isEqualTo(GcpFixture.recordedJson("storage-object.json").get("etag").asText());
        assertThat(google.uploads.only().bytes()).as("the bytes Cloud Storage received").isEqualTo(data);
        assertThat(google.uploads.only().finished).isTrue();

        LoggedRequest open = google.wireMock.findAll(postRequestedFor(urlPathEqualTo(UPLOAD))).getFirst();
        assertThat(open.queryParameter("uploadType").firstValue()).isEqualTo("resumable");
        assertThat(open.getHeader("Authorization")).isEqualTo("Bearer " + google.token);
        JsonNode metadata = GcpFixture.readTree(open.getBodyAsString());
        assertThat(metadata.get("name").asText()).isEqualTo("daily/db.tar");
        assertThat(metadata.get("contentType").asText()).isEqualTo("application/x-tar");

        List<String> ranges = chunks().stream().map(chunk -> chunk.getHeader("Content-Range")).toList();
        assertThat(ranges).containsExactly("bytes 0-262143/*", "bytes 262144-524287/*", "bytes 524288-786431/*",
                "bytes 786432-798776/798777");
        assertThat(chunks()).allSatisfy(chunk -> {
            assertThat(chunk.getHeader("Authorization")).isEqualTo("Bearer " + google.token);
            assertThat(chunk.getBody().length).isLessThanOrEqualTo(CHUNK);
        });
    }

    @Test
    void aKnownLengthThatIsAWholeNumberOfChunksEndsWithTheTotal() {
        byte[] data = random(2 * CHUNK);

        StoredObject stored = storage.upload(google.credential(null), "backups", "weekly.bin", new ByteArrayInputStream(data),
                data.length, null);

        assertThat(stored.size()).isEqualTo(2L * CHUNK);
        assertThat(google.uploads.only().bytes()).isEqualTo(data);
        List<String> ranges = chunks().stream().map(chunk -> chunk.getHeader("Content-Range")).toList();
        assertThat(ranges.getFirst()).isEqualTo("bytes 0-262143/*");
        assertThat(ranges.getLast()).as("the last request names the total").endsWith("/" + 2 * CHUNK);
        assertThat(GcpFixture.readTree(google.wireMock.findAll(postRequestedFor(urlPathEqualTo(UPLOAD))).getFirst().getBodyAsString()).get("contentType").asText())
                .isEqualTo("application/octet-stream");
    }

    @Test
    void aSourceThatFailsMidwayLeavesTheSessionUnfinished() {
        byte[] data = random(CHUNK + 50_000);
        InputStream source = new InputStream() { // an IOException midway, as a broken request body gives
            final ByteArrayInputStream in = new ByteArrayInputStream(data);
            int served;

            @Override
            public int read() {
                throw new UnsupportedOperationException("read in blocks");
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (served >= CHUNK + 40_000) {
                    throw new IOException("connection reset by the client");
                }
                int read = in.read(buffer, offset, length);
                served += Math.max(read, 0);
                return read;
            }
        };

        CloudException failure = google.failure(() -> storage.upload(google.credential(null), "backups", "daily/broken.tar", source, -1, null));

        assertThat(failure.kind()).isEqualTo(Kind.INVALID);
        assertThat(failure.getMessage()).startsWith("upload gs://backups/daily/broken.tar: reading the data failed after")
                .endsWith("(connection reset by the client); nothing was stored");
        assertUnfinished();
    }

    @Test
    void aSourceShorterThanAnnouncedLeavesTheSessionUnfinished() {
        byte[] data = random(CHUNK + 10);

        CloudException failure = google.failure(() -> storage.upload(google.credential(null), "backups", "short.bin",
                new ByteArrayInputStream(data), data.length + 1, null));

        assertThat(failure.kind()).isEqualTo(Kind.INVALID);
        assertThat(failure.getMessage()).isEqualTo("upload gs://backups/short.bin: the data ended after 262154 of the announced "
                + "262155 bytes; nothing was stored");
        assertUnfinished();
    }

    @Test
    void aRefusedUploadIsDeniedAndCreatesNothing() {
        google.wireMock.stubFor(post(urlPathEqualTo(UPLOAD)).withQueryParam("uploadType", equalTo("resumable"))
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json; charset=UTF-8")
                        .withBody(GcpErrorsTest.errorBody(403, "forbidden", "tocsin@project_name.iam.gserviceaccount.com does not "
                                + "have storage.objects.create access to the Google Cloud Storage object."))));

        CloudException failure = google.failure(() -> storage.upload(google.credential(null), "backups", "x.bin",
                new ByteArrayInputStream(random(1000)), 1000, null));

        assertThat(failure.kind()).isEqualTo(Kind.DENIED);
        assertThat(failure.getMessage()).startsWith("upload gs://backups/x.bin: Cloud Storage answered HTTP 403: ")
                .contains("does not have storage.objects.create access");
        assertThat(chunks()).isEmpty();
    }

    @Test
    void listsEveryPageUnderAPrefix() {
        ObjectNode first = ReplayedObjects.page(List.of(ResumableUploads.object("backups", "daily/a.tar", random(10), "application/x-tar"),
                ResumableUploads.object("backups", "daily/b.tar", random(20), "application/x-tar")), "page-2");
        ObjectNode second = ReplayedObjects.page(List.of(ResumableUploads.object("backups", "daily/c.tar", random(30), "application/x-tar")), null);
        google.wireMock.stubFor(get(urlPathEqualTo("/storage/v1/b/backups/o")).withQueryParam("prefix", equalTo("daily/"))
                .withQueryParam("pageToken", absent()).willReturn(okJson(first.toString())));
        google.wireMock.stubFor(get(urlPathEqualTo("/storage/v1/b/backups/o")).withQueryParam("prefix", equalTo("daily/"))
                .withQueryParam("pageToken", equalTo("page-2")).willReturn(okJson(second.toString())));

        List<StoredObject> objects = storage.list(google.credential(null), "backups", "daily/");

        assertThat(objects).extracting(StoredObject::key).containsExactly("daily/a.tar", "daily/b.tar", "daily/c.tar");
        assertThat(objects).extracting(StoredObject::size).containsExactly(10L, 20L, 30L);
        assertThat(objects.getFirst().lastModified()).hasToString("2020-11-11T06:45:18.178Z");
        google.wireMock.verify(2, getRequestedFor(urlPathEqualTo("/storage/v1/b/backups/o"))
                .withQueryParam("prefix", equalTo("daily/")).withHeader("Authorization", equalTo("Bearer " + google.token)));
    }

    @Test
    void downloadsStreamTheObjectsGeneration() {
        byte[] data = random(3 * CHUNK + 7);
        ObjectNode object = ResumableUploads.object("backups", "daily/db.tar", data, "application/x-tar");
        google.wireMock.stubFor(get(urlPathEqualTo("/storage/v1/b/backups/o/daily%2Fdb.tar")).withQueryParam("alt", absent())
                .willReturn(okJson(object.toString())));
        google.wireMock.stubFor(get(urlPathEqualTo("/download/storage/v1/b/backups/o/daily%2Fdb.tar"))
                .withQueryParam("alt", equalTo("media"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-tar").withBody(data)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        StoredObject stored = storage.download(google.credential(null), "backups", "daily/db.tar", out);

        assertThat(out.toByteArray()).isEqualTo(data);
        assertThat(stored.size()).isEqualTo(data.length);
        LoggedRequest media = google.wireMock.findAll(getRequestedFor(urlPathEqualTo("/download/storage/v1/b/backups/o/daily%2Fdb.tar"))
                .withQueryParam("alt", equalTo("media"))).getFirst();
        assertThat(media.queryParameter("generation").firstValue()).isEqualTo(object.get("generation").asText());
        assertThat(media.getHeader("Authorization")).isEqualTo("Bearer " + google.token);
    }

    @Test
    void downloadingAMissingObjectIsNotFound() {
        google.wireMock.stubFor(get(urlPathEqualTo("/storage/v1/b/backups/o/nothing.tar")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json; charset=UTF-8").withBody(GcpErrorsTest.errorBody(404, "notFound", ""))));

        CloudException failure = google.failure(() -> storage.download(google.credential(null), "backups", "nothing.tar",
                new ByteArrayOutputStream()));

        assertThat(failure.kind()).isEqualTo(Kind.NOT_FOUND);
    }

    private List<LoggedRequest> chunks() {
        return google.events().stream().map(event -> event.getRequest()).filter(request -> request.getMethod().getName().equals("PUT"))
                .toList();
    }

    /** Chunks were sent, none naming a total: Cloud Storage never creates the object. */
    private void assertUnfinished() {
        assertThat(chunks()).isNotEmpty().allSatisfy(chunk -> {
            Matcher range = RANGE.matcher(chunk.getHeader("Content-Range"));
            assertThat(range.matches()).isTrue();
            assertThat(range.group(3)).as("a chunk of unknown total").isEqualTo("*");
        });
        assertThat(google.uploads.only().finished).isFalse();
    }

    private static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    /** A listing page in the documented shape (https://cloud.google.com/storage/docs/json_api/v1/objects/list#response). */
    static final class ReplayedObjects {
        static ObjectNode page(List<ObjectNode> items, String nextPageToken) {
            ObjectNode page = GcpFixture.JSON.createObjectNode();
            page.put("kind", "storage#objects");
            if (nextPageToken != null) {
                page.put("nextPageToken", nextPageToken);
            }
            page.putArray("items").addAll(items);
            return page;
        }
    }
}
