package io.tocsin.cloud.provider.aws;

import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.credentials.Provider;
import io.tocsin.cloud.provider.BackupStorage;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.cloud.provider.CloudException.Kind;
import io.tocsin.cloud.provider.StoredObject;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Backups in Amazon S3 (or an S3-compatible store, {@code tocsin.cloud.aws.s3-endpoint}) through the AWS SDK v2, in
 * the credential's default region (a bucket elsewhere on AWS is followed to its region).
 *
 * <p>Upload: what fits in one part ({@code tocsin.cloud.aws.s3-part-size}, 8 MiB) is one PutObject; anything
 * longer, or of unknown length, is a multipart upload (CreateMultipartUpload, UploadPart per part read from the
 * stream, CompleteMultipartUpload) holding one part's buffer and nothing else, so files larger than the heap
 * upload. Any failure aborts the multipart upload (AbortMultipartUpload), so that no part remains stored or billed.
 * Download streams GetObject's body to the caller's stream without buffering it and without the SDK's retries
 * (a retry in the middle would write the start twice).
 *
 * <p>IAM permissions: {@code s3:PutObject}, {@code s3:AbortMultipartUpload} (upload), {@code s3:ListBucket} (list),
 * {@code s3:GetObject} (download).
 *
 * <p>Error contract: {@link CloudException} only, classified by {@link AwsErrors} (NoSuchBucket, NoSuchKey →
 * NOT_FOUND; AccessDenied → DENIED). A stream that cannot be read, or whose length is not the one given, is
 * INVALID; a stream of unknown length longer than 10,000 parts is INVALID (raise the part size); a download that
 * breaks off is UNAVAILABLE.
 */
@Singleton
public class S3BackupStorage implements BackupStorage {

    private static final Logger LOG = LoggerFactory.getLogger(S3BackupStorage.class);
    /** https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html */
    static final int MAX_PARTS = 10_000;
    private static final long MIB = 1024 * 1024;

    /** ListObjectsV2's maximum page (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html). */
    static final int LIST_PAGE = 1000;

    private final AwsClients clients;
    private final int listPage;

    @Inject
    public S3BackupStorage(AwsClients clients) {
        this(clients, LIST_PAGE);
    }

    /** With a smaller listing page, so that a test sees several pages followed. */
    S3BackupStorage(AwsClients clients, int listPage) {
        this.clients = clients;
        this.listPage = listPage;
    }

    @Override
    public Provider provider() {
        return Provider.AWS;
    }

    @Override
    public StoredObject upload(CloudCredential credential, String bucket, String key, InputStream data, long length,
                               String contentType) {
        requireNames(bucket, key);
        String region = AwsClients.region(credential, null);
        try (AwsClients.Lease<S3Client> lease = clients.leaseS3(credential, region)) {
            return upload(credential, lease.client(), region, bucket, key, data, length, contentType);
        }
    }

    private StoredObject upload(CloudCredential credential, S3Client s3, String region, String bucket, String key, InputStream data,
                                long length, String contentType) {
        String where = "s3://" + bucket + "/" + key + " (" + region + ")";
        long partSize = partSize(length, where);
        // Up to one part in memory. A known short length reads one byte more, to see a stream longer than it said.
        byte[] buffer = new byte[(int) (length >= 0 && length < partSize ? length + 1 : partSize)];
        int first = fill(data, buffer, where);
        if (first < buffer.length || (length >= 0 && length < partSize)) {
            checkLength(length, first == buffer.length ? length + 1 : first, where);
            return put(credential, s3, bucket, key, buffer, first, contentType, where);
        }
        return multipart(credential, s3, bucket, key, data, length, contentType, buffer, first, where);
    }

    private StoredObject put(CloudCredential credential, S3Client s3, String bucket, String key, byte[] buffer, int size,
                             String contentType, String where) {
        String etag = AwsErrors.call(credential, "S3 PutObject " + where, () -> s3.putObject(b -> b.bucket(bucket).key(key)
                .contentType(contentType).contentLength((long) size), body(buffer, size, contentType))).eTag();
        return new StoredObject(bucket, key, size, Instant.now(), unquoted(etag));
    }

    private StoredObject multipart(CloudCredential credential, S3Client s3, String bucket, String key, InputStream data,
                                   long length, String contentType, byte[] buffer, int first, String where) {
        String uploadId = AwsErrors.call(credential, "S3 CreateMultipartUpload " + where,
                () -> s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType))).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long total = 0;
            int size = first;
            while (size > 0) {
                int number = parts.size() + 1;
                if (number > MAX_PARTS) {
                    throw new CloudException(Kind.INVALID, "S3 upload " + where + " failed: the stream is longer than "
                            + MAX_PARTS + " parts of " + buffer.length + " bytes; raise tocsin.cloud.aws.s3-part-size", null);
                }
                int partSize = size;
                String etag = AwsErrors.call(credential, "S3 UploadPart " + number + " " + where, () -> s3.uploadPart(b -> b
                        .bucket(bucket).key(key).uploadId(uploadId).partNumber(number).contentLength((long) partSize),
                        body(buffer, partSize, contentType))).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                total += size;
                size = size < buffer.length ? 0 : fill(data, buffer, where);
            }
            checkLength(length, total, where);
            String etag = AwsErrors.call(credential, "S3 CompleteMultipartUpload " + where, () -> s3.completeMultipartUpload(b -> b
                    .bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)))).eTag();
            return new StoredObject(bucket, key, total, Instant.now(), unquoted(etag));
        } catch (RuntimeException | Error e) {
            abort(credential, s3, bucket, key, uploadId, where, e);
            throw e;
        }
    }

    /** Removes the parts of a failed upload; when even that fails, says how to clean up, and keeps the first failure. */
    private static void abort(CloudCredential credential, S3Client s3, String bucket, String key, String uploadId, String where,
                              Throwable failure) {
        try {
            AwsErrors.run(credential, "S3 AbortMultipartUpload " + where,
                    () -> s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)));
        } catch (CloudException e) {
            failure.addSuppressed(e);
            LOG.warn("The failed upload {} (upload id {}) could not be aborted, its parts stay stored until a lifecycle rule "
                    + "(AbortIncompleteMultipartUpload) or AbortMultipartUpload removes them: {}", where, uploadId, e.getMessage());
        }
    }

    @Override
    public List<StoredObject> list(CloudCredential credential, String bucket, String prefix) {
        requireNames(bucket, "-");
        String region = AwsClients.region(credential, null);
        String where = "s3://" + bucket + "/" + (prefix == null ? "" : prefix) + " (" + region + ")";
        try (AwsClients.Lease<S3Client> lease = clients.leaseS3(credential, region)) {
            S3Client s3 = lease.client();
            return AwsErrors.call(credential, "S3 ListObjectsV2 " + where, () -> {
                List<StoredObject> found = new ArrayList<>();
                // Pages are fetched while iterating, so inside call(); S3 gives keys in UTF-8 binary order.
                s3.listObjectsV2Paginator(b -> b.bucket(bucket).maxKeys(listPage).prefix(prefix == null || prefix.isEmpty() ? null : prefix))
                        .contents().forEach(object -> found.add(new StoredObject(bucket, object.key(), object.size(),
                                object.lastModified(), unquoted(object.eTag()))));
                return List.copyOf(found);
            });
        }
    }

    @Override
    public StoredObject download(CloudCredential credential, String bucket, String key, OutputStream out) {
        requireNames(bucket, key);
        String region = AwsClients.region(credential, null);
        try (AwsClients.Lease<S3Client> lease = clients.leaseS3(credential, region)) {
            return download(credential, lease.client(), region, bucket, key, out);
        }
    }

    private StoredObject download(CloudCredential credential, S3Client s3, String region, String bucket, String key, OutputStream out) {
        String where = "s3://" + bucket + "/" + key + " (" + region + ")";
        ResponseInputStream<GetObjectResponse> body = AwsErrors.call(credential, "S3 GetObject " + where,
                () -> s3.getObject(b -> b.bucket(bucket).key(key)));
        long copied = 0;
        try {
            byte[] chunk = new byte[64 * 1024];
            for (int n; (n = read(body, chunk, where, copied)) >= 0; copied += n) {
                try {
                    out.write(chunk, 0, n);
                } catch (IOException e) {
                    throw new CloudException(Kind.UNAVAILABLE, "S3 GetObject " + where + ": writing the download failed after "
                            + copied + " bytes: " + e.getMessage(), null);
                }
            }
        } catch (RuntimeException e) {
            body.abort(); // drops the connection rather than reading the rest of an object nobody wants
            throw e;
        } finally {
            try {
                body.close();
            } catch (IOException e) {
                LOG.debug("Closing the download of {} failed: {}", where, e.getMessage());
            }
        }
        GetObjectResponse response = body.response();
        return new StoredObject(bucket, key, copied, response.lastModified(), unquoted(response.eTag()));
    }

    private static int read(InputStream in, byte[] chunk, String where, long copied) {
        try {
            return in.read(chunk);
        } catch (IOException e) {
            throw new CloudException(Kind.UNAVAILABLE, "S3 GetObject " + where + ": the download broke off after " + copied
                    + " bytes: " + e.getMessage(), null);
        }
    }

    /**
     * The part size: the configured one, or more when a known length would need over {@value #MAX_PARTS} parts
     * (rounded up to MiB, at most 512 MiB, so up to S3's 5 TiB object limit).
     */
    long partSize(long length, String where) {
        long configured = clients.settings().s3PartSize();
        if (length < 0) {
            return configured;
        }
        long needed = (length + MAX_PARTS - 1) / MAX_PARTS;
        long size = Math.max(configured, (needed + MIB - 1) / MIB * MIB);
        if (size > AwsSettings.MAX_PART_SIZE) {
            throw new CloudException(Kind.INVALID, "S3 upload " + where + ": " + length + " bytes are more than S3 takes in one "
                    + "object (10,000 parts of at most " + AwsSettings.MAX_PART_SIZE + " bytes)", null);
        }
        return size;
    }

    /** A bucket and key S3 can address: S3 would read an empty key as the bucket itself. */
    private static void requireNames(String bucket, String key) {
        if (bucket == null || bucket.isBlank() || key == null || key.isEmpty()) {
            throw new CloudException(Kind.INVALID, "S3 needs a bucket name and an object key; got bucket '" + bucket + "', key '"
                    + key + "'", null);
        }
    }

    /** Reads until {@code buffer} is full or the stream ends; the bytes read. */
    private static int fill(InputStream data, byte[] buffer, String where) {
        try {
            return data.readNBytes(buffer, 0, buffer.length);
        } catch (IOException e) {
            throw new CloudException(Kind.INVALID, "S3 upload " + where + " failed: the data to upload could not be read: "
                    + e.getMessage(), e);
        }
    }

    private static void checkLength(long expected, long actual, String where) {
        if (expected >= 0 && expected != actual) {
            throw new CloudException(Kind.INVALID, "S3 upload " + where + " failed: the stream " + (actual > expected
                    ? "has more than the " + expected + " bytes announced" : "ended after " + actual + " of the " + expected
                    + " bytes announced"), null);
        }
    }

    /** The first {@code size} bytes of the buffer, re-readable (the SDK reads it to sign and may retry), not copied. */
    private static RequestBody body(byte[] buffer, int size, String contentType) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, size), size,
                contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType);
    }

    /** S3 quotes its ETags ({@code "9b2cf535f27731c974343645a3985328"}); the quotes are not part of the value. */
    private static String unquoted(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }
}
