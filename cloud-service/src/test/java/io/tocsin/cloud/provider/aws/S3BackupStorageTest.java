package io.tocsin.cloud.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.cloud.provider.CloudException.Kind;
import io.tocsin.cloud.provider.StoredObject;
import io.tocsin.testing.CapturedLogs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * S3 backups through the real AWS SDK against S3Mock, a server speaking the S3 protocol: a short upload is one
 * PutObject, a long one or one of unknown length a multipart upload that never reads more than one part ahead of
 * what S3 has stored, a failed upload leaves nothing listed and no multipart upload behind, listings follow every
 * page, downloads stream the bytes back. Parts are S3's minimum, 5 MiB, to keep the test fast.
 */
class S3BackupStorageTest {

    static final String BUCKET = "backups";
    static final int PART = (int) AwsSettings.MIN_PART_SIZE;
    static S3MockServer s3mock;

    final CapturedLogs logs = new CapturedLogs();
    final AwsClients clients = new AwsClients(s3mock.settings(PART));
    final S3BackupStorage storage = new S3BackupStorage(clients, 2);
    final CloudCredential credential = AwsWireMock.credential("s3", true);
    final S3Client raw = clients.leaseS3(credential, "eu-west-1").client(); // held for the test

    @BeforeAll
    static void startS3Mock() throws Exception {
        s3mock = S3MockServer.start(BUCKET);
    }

    @AfterAll
    static void stopS3Mock() throws Exception {
        s3mock.close();
    }

    @AfterEach
    void close() {
        assertThat(logs.text()).doesNotContain(AwsWireMock.SECRET).doesNotContain(AwsWireMock.SESSION_TOKEN);
        clients.close();
        logs.close();
    }

    @Test
    void aShortUploadIsOnePutAndDownloadsAsItWas() throws Exception {
        byte[] data = bytes(1000, 7);

        StoredObject stored = storage.upload(credential, BUCKET, "short/known.bin", new ByteArrayInputStream(data), data.length, "application/gzip");

        assertThat(stored.size()).isEqualTo(1000);
        assertThat(stored.etag()).as("one PUT: the ETag is the MD5 of the content").isEqualTo(md5(data));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StoredObject downloaded = storage.download(credential, BUCKET, "short/known.bin", out);
        assertThat(out.toByteArray()).isEqualTo(data);
        assertThat(downloaded.size()).isEqualTo(1000);
        assertThat(downloaded.etag()).isEqualTo(md5(data));
        assertThat(raw.headObject(b -> b.bucket(BUCKET).key("short/known.bin")).contentType()).isEqualTo("application/gzip");

        // Unknown length, but shorter than a part: still one PUT.
        StoredObject unknown = storage.upload(credential, BUCKET, "short/unknown.bin", new ByteArrayInputStream(data), -1, null);
        assertThat(unknown.etag()).isEqualTo(md5(data));
        assertThat(unknown.size()).isEqualTo(1000);
    }

    @Test
    void aStreamOfUnknownLengthIsUploadedPartByPartReadingOnePartAhead() throws Exception {
        long length = 2L * PART + 12_345;
        WatchedStream data = new WatchedStream(length, null);

        StoredObject stored = storage.upload(credential, BUCKET, "big/unknown.bin", data, -1, null);

        assertThat(stored.size()).isEqualTo(length);
        assertThat(stored.etag()).as("a multipart upload of 3 parts").endsWith("-3");
        assertThat(data.checks).as("checked at the start of parts 2 and 3").isEqualTo(2);
        assertThat(storage.list(credential, BUCKET, "big/")).singleElement().satisfies(object -> {
            assertThat(object.key()).isEqualTo("big/unknown.bin");
            assertThat(object.size()).isEqualTo(length);
            assertThat(object.etag()).isEqualTo(stored.etag());
            assertThat(object.lastModified()).isNotNull();
        });
        DigestStream downloaded = new DigestStream();
        assertThat(storage.download(credential, BUCKET, "big/unknown.bin", downloaded).size()).isEqualTo(length);
        assertThat(downloaded.hex()).isEqualTo(new WatchedStream(length, null, false).sha256());
        assertThat(uploadsInProgress()).isEmpty();
    }

    @Test
    void aKnownLengthOverOnePartIsAMultipartUpload() throws Exception {
        long length = PART + 1;
        StoredObject stored = storage.upload(credential, BUCKET, "big/known.bin", new WatchedStream(length, null), length, null);

        assertThat(stored.etag()).endsWith("-2");
        assertThat(stored.size()).isEqualTo(length);
    }

    @Test
    void aFailedUploadLeavesNothingBehind() throws Exception {
        // The stream breaks in its second part: the first part is stored by then, and must be aborted.
        WatchedStream breaking = new WatchedStream(3L * PART, PART + 1000L);
        CloudException broken = catchThrowableOfType(CloudException.class,
                () -> storage.upload(credential, BUCKET, "failed/broken.bin", breaking, -1, null));
        assertThat(broken.kind()).isEqualTo(Kind.INVALID);
        assertThat(broken.getMessage()).isEqualTo("S3 upload s3://backups/failed/broken.bin (eu-west-1) failed: the data to upload "
                + "could not be read: the disk went away");

        // A stream shorter than announced, found once two parts are stored.
        CloudException shorter = catchThrowableOfType(CloudException.class, () -> storage.upload(credential, BUCKET,
                "failed/short.bin", new WatchedStream(2L * PART, null), 3L * PART, null));
        assertThat(shorter.kind()).isEqualTo(Kind.INVALID);
        assertThat(shorter.getMessage()).endsWith("the stream ended after " + 2L * PART + " of the " + 3L * PART + " bytes announced");

        // Longer than announced, in the one-PUT range: refused before anything is sent.
        CloudException longer = catchThrowableOfType(CloudException.class, () -> storage.upload(credential, BUCKET,
                "failed/long.bin", new ByteArrayInputStream(bytes(101, 1)), 100, null));
        assertThat(longer.getMessage()).endsWith("the stream has more than the 100 bytes announced");

        assertThat(storage.list(credential, BUCKET, "failed/")).isEmpty();
        assertThat(uploadsInProgress()).as("every multipart upload was aborted").isEmpty();
    }

    @Test
    void listingsFollowEveryPageAndKeepToThePrefix() {
        for (String key : List.of("list/a", "list/b", "list/c", "list/d", "list/e", "other/f")) {
            storage.upload(credential, BUCKET, key, new ByteArrayInputStream(key.getBytes()), key.length(), "text/plain");
        }

        // Pages of 2 here: three ListObjectsV2 calls.
        assertThat(storage.list(credential, BUCKET, "list/")).extracting(StoredObject::key)
                .containsExactly("list/a", "list/b", "list/c", "list/d", "list/e");
        assertThat(storage.list(credential, BUCKET, "")).extracting(StoredObject::key).contains("list/a", "other/f");
        assertThat(storage.list(credential, BUCKET, "list/")).allSatisfy(object -> assertThat(object.bucket()).isEqualTo(BUCKET));
    }

    @Test
    void missingBucketsAndKeysAreNotFound() {
        CloudException noBucket = catchThrowableOfType(CloudException.class, () -> storage.upload(credential, "no-such-bucket", "k",
                new ByteArrayInputStream(bytes(10, 1)), 10, null));
        assertThat(noBucket.kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(noBucket.getMessage()).startsWith("AWS S3 PutObject s3://no-such-bucket/k (eu-west-1) failed: NoSuchBucket (HTTP 404)");
        CloudException noBucketMultipart = catchThrowableOfType(CloudException.class, () -> storage.upload(credential,
                "no-such-bucket", "k", new WatchedStream(PART + 1L, null), -1, null));
        assertThat(noBucketMultipart.getMessage()).contains("CreateMultipartUpload", "NoSuchBucket");
        assertThat(catchThrowableOfType(CloudException.class, () -> storage.list(credential, "no-such-bucket", "")).kind())
                .isEqualTo(Kind.NOT_FOUND);
        CloudException noKey = catchThrowableOfType(CloudException.class,
                () -> storage.download(credential, BUCKET, "no/such/key", new ByteArrayOutputStream()));
        assertThat(noKey.kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(noKey.getMessage()).contains("S3 GetObject s3://backups/no/such/key", "NoSuchKey");
        assertThat(catchThrowableOfType(CloudException.class, () -> storage.upload(credential, BUCKET, "",
                new ByteArrayInputStream(bytes(1, 1)), 1, null)).kind()).as("no key").isEqualTo(Kind.INVALID);
    }

    @Test
    void aDownloadWhoseReaderGoesAwayIsUnavailable() {
        storage.upload(credential, BUCKET, "gone/reader.bin", new ByteArrayInputStream(bytes(200_000, 3)), 200_000, null);

        CloudException e = catchThrowableOfType(CloudException.class, () -> storage.download(credential, BUCKET, "gone/reader.bin",
                new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        throw new IOException("Broken pipe");
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        throw new IOException("Broken pipe");
                    }
                }));
        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.getMessage()).isEqualTo("S3 GetObject s3://backups/gone/reader.bin (eu-west-1): writing the download failed "
                + "after 0 bytes: Broken pipe");
    }

    private List<MultipartUpload> uploadsInProgress() {
        return raw.listMultipartUploads(b -> b.bucket(BUCKET)).uploads();
    }

    static byte[] bytes(int n, int seed) {
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) (i * 31 + seed);
        }
        return data;
    }

    static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    /**
     * Generated bytes of a given length (not told to the uploader). At the start of each part after the first it asks
     * S3, through ListParts, what is stored of the upload in progress: all parts before the one being read must be,
     * so the uploader holds at most one part. Optionally breaks at a position, as a disk that goes away.
     */
    final class WatchedStream extends InputStream {
        private final long length;
        private final Long breakAt;
        private final boolean watch;
        private final MessageDigest digest;
        private long position;
        int checks;

        WatchedStream(long length, Long breakAt) throws Exception {
            this(length, breakAt, true);
        }

        WatchedStream(long length, Long breakAt, boolean watch) throws Exception {
            this.watch = watch;
            this.length = length;
            this.breakAt = breakAt;
            this.digest = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= length) {
                return -1;
            }
            if (breakAt != null && position >= breakAt) {
                throw new IOException("the disk went away");
            }
            if (watch && position > 0 && position % PART == 0) {
                checkStoredBehind();
            }
            // Never across a part boundary, so that each part's first read comes through here.
            int n = (int) Math.min(Math.min(len, length - position), PART - position % PART);
            if (breakAt != null) {
                n = (int) Math.min(n, Math.max(1, breakAt - position));
            }
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) ((position + i) * 13 + 5);
            }
            digest.update(b, off, n);
            position += n;
            return n;
        }

        private void checkStoredBehind() {
            List<MultipartUpload> uploads = uploadsInProgress();
            assertThat(uploads).as("one upload in progress").hasSize(1);
            MultipartUpload upload = uploads.getFirst();
            long stored = raw.listParts(b -> b.bucket(BUCKET).key(upload.key()).uploadId(upload.uploadId())).parts().stream()
                    .mapToLong(part -> part.size()).sum();
            assertThat(stored).as("stored when reading byte " + position + ": every part before this one").isEqualTo(position);
            checks++;
        }

        String sha256() throws IOException {
            transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    /** Takes the SHA-256 of what is written to it, holding nothing. */
    static final class DigestStream extends OutputStream {
        private final MessageDigest digest;

        DigestStream() throws Exception {
            digest = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public void write(int b) {
            digest.update((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            digest.update(b, off, len);
        }

        String hex() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }
}
