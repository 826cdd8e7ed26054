package io.tocsin.cloud.provider.gcp;

import com.google.cloud.ReadChannel;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BlobWriteSession;
import com.google.cloud.storage.BlobWriteSessionConfigs;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.credentials.Provider;
import io.tocsin.cloud.provider.BackupStorage;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.cloud.provider.CloudException.Kind;
import io.tocsin.cloud.provider.StoredObject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Backups in Google Cloud Storage through {@code google-cloud-storage} over its JSON API, at
 * {@link GcpSettings#storageEndpoint()}, with the credential's service account ({@code storage.objects.create},
 * {@code .get}, {@code .list} on the bucket).
 *
 * <p>Uploads are resumable uploads (https://cloud.google.com/storage/docs/performing-resumable-uploads): one
 * {@code POST ...?uploadType=resumable} opens a session, then the data goes in {@code upload-chunk-size} pieces
 * ({@code PUT} with {@code Content-Range: bytes a-b/*}, answered 308), the last one carrying the total size. The
 * client library buffers one chunk, so memory stays at one chunk per upload whatever the size, and the length need
 * not be known in advance.
 *
 * <p>A failed upload leaves no object: Cloud Storage creates the object only when the last chunk (with the total
 * size) arrives, and a session that never finishes expires after a week without ever creating anything or being
 * listed. So on any failure (Google's, the source stream's, or a stream that does not have the announced length)
 * the channel is abandoned, never closed: closing it would send the final chunk and make what was sent so far an
 * object.
 *
 * <p>Error contract: {@link CloudException} only ({@link GcpErrors}); a source stream that fails or does not
 * match {@code length} is {@code INVALID}, as is a failure to write a download to {@code out}: neither is Google's.
 */
@Singleton
public class GcsBackupStorage implements BackupStorage {

    private static final int COPY_BUFFER = 64 * 1024;

    private final GcpSettings settings;
    private final GcpCredentials credentials;

    public GcsBackupStorage(GcpSettings settings, GcpCredentials credentials) {
        this.settings = settings;
        this.credentials = credentials;
    }

    @Override
    public Provider provider() {
        return Provider.GCP;
    }

    @Override
    public StoredObject upload(CloudCredential credential, String bucket, String key, InputStream data, long length, String contentType) {
        String action = "upload gs://" + bucket + "/" + key;
        BlobInfo info = BlobInfo.newBuilder(bucket, key)
                .setContentType(contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType).build();
        try (Storage storage = storage(credential)) {
            BlobWriteSession session = storage.blobWriteSession(info);
            WritableByteChannel channel = session.open();
            long sent = copy(action, data, channel, length);
            if (length >= 0 && sent != length) {
                throw new CloudException(Kind.INVALID, action + ": the data ended after " + sent + " of the announced " + length
                        + " bytes; nothing was stored", null);
            }
            channel.close(); // the last chunk, with the total size: the object exists from here on
            return stored(session.getResult().get(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS));
        } catch (Exception e) {
            throw GcpErrors.of(action, e);
        }
    }

    /** Every object whose name starts with {@code prefix}, all pages ({@code objects.list} pages through nextPageToken). */
    @Override
    public List<StoredObject> list(CloudCredential credential, String bucket, String prefix) {
        String action = "list gs://" + bucket + "/" + (prefix == null ? "" : prefix) + "*";
        try (Storage storage = storage(credential)) {
            List<StoredObject> found = new ArrayList<>();
            Storage.BlobListOption[] options = prefix == null || prefix.isEmpty() ? new Storage.BlobListOption[0]
                    : new Storage.BlobListOption[] {Storage.BlobListOption.prefix(prefix)};
            for (Blob blob : storage.list(bucket, options).iterateAll()) {
                found.add(stored(blob));
            }
            found.sort(Comparator.comparing(StoredObject::key));
            return List.copyOf(found);
        } catch (Exception e) {
            throw GcpErrors.of(action, e);
        }
    }

    /** Reads the object's metadata, then streams the same generation to {@code out} (never the whole object in memory). */
    @Override
    public StoredObject download(CloudCredential credential, String bucket, String key, OutputStream out) {
        String action = "download gs://" + bucket + "/" + key;
        try (Storage storage = storage(credential)) {
            Blob blob = storage.get(BlobId.of(bucket, key));
            if (blob == null) {
                throw new CloudException(Kind.NOT_FOUND, action + ": Cloud Storage has no such object", null);
            }
            try (ReadChannel reader = storage.reader(BlobId.of(bucket, key, blob.getGeneration()))) {
                ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER);
                while (reader.read(buffer) >= 0) {
                    buffer.flip();
                    try {
                        out.write(buffer.array(), 0, buffer.limit());
                    } catch (IOException e) {
                        throw new CloudException(Kind.INVALID, action + ": writing the object out failed: " + e.getMessage(), e);
                    }
                    buffer.clear();
                }
            }
            return stored(blob);
        } catch (Exception e) {
            throw GcpErrors.of(action, e);
        }
    }

    private long copy(String action, InputStream data, WritableByteChannel channel, long length) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER];
        long sent = 0;
        while (true) {
            int read;
            try {
                read = data.read(buffer);
            } catch (IOException e) {
                throw new CloudException(Kind.INVALID, action + ": reading the data failed after " + sent + " bytes ("
                        + e.getMessage() + "); nothing was stored", e);
            }
            if (read < 0) {
                return sent;
            }
            sent += read;
            if (length >= 0 && sent > length) {
                throw new CloudException(Kind.INVALID, action + ": the data is longer than the announced " + length
                        + " bytes; nothing was stored", null);
            }
            ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, read);
            while (chunk.hasRemaining()) {
                channel.write(chunk); // buffers up to one chunk, sends it when full
            }
        }
    }

    private Storage storage(CloudCredential credential) {
        return StorageOptions.http()
                .setHost(settings.storageEndpoint())
                .setProjectId(GcpCredentials.project(credential))
                .setCredentials(credentials.of(credential))
                .setTransportOptions(HttpTransportOptions.newBuilder()
                        .setHttpTransportFactory(credentials::transport)
                        .setConnectTimeout((int) settings.connectTimeout().toMillis())
                        .setReadTimeout((int) settings.readTimeout().toMillis())
                        .build())
                // The library's default allows 50 s over 6 attempts; one call (one chunk) keeps to call-timeout.
                .setRetrySettings(StorageOptions.getDefaultRetrySettings().toBuilder()
                        .setMaxAttempts(settings.maxAttempts())
                        .setTotalTimeoutDuration(settings.callTimeout())
                        .build())
                .setBlobWriteSessionConfig(BlobWriteSessionConfigs.getDefault().withChunkSize(settings.uploadChunkSize()))
                .build().getService();
    }

    private static StoredObject stored(BlobInfo blob) {
        OffsetDateTime updated = blob.getUpdateTimeOffsetDateTime() != null ? blob.getUpdateTimeOffsetDateTime()
                : blob.getCreateTimeOffsetDateTime();
        return new StoredObject(blob.getBucket(), blob.getName(), blob.getSize() == null ? 0 : blob.getSize(),
                updated == null ? Instant.EPOCH : updated.toInstant(), blob.getEtag());
    }
}
