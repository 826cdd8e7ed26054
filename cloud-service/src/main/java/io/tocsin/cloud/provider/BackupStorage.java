package io.tocsin.cloud.provider;

import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.credentials.Provider;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Object storage for backups through the provider's official SDK: S3, Google Cloud Storage, Azure Blob (the
 * credential's {@code storage_account}). Uploads are streamed: an implementation holds at most one part (a few MB)
 * in memory, never the file, so files larger than the heap upload.
 *
 * <p>Error contract: as {@link CloudProvider}: {@link CloudException} with its kind, nothing else. A failed upload
 * leaves no partial object visible (multipart uploads are aborted; resumable sessions and uncommitted blocks are
 * not listed).
 */
public interface BackupStorage {

    Provider provider();

    /**
     * Streams {@code data} to {@code bucket}/{@code key}. {@code length} is the exact size when known, or -1: the
     * implementation then uploads in parts until the stream ends.
     */
    StoredObject upload(CloudCredential credential, String bucket, String key, InputStream data, long length, String contentType);

    /** Objects under {@code prefix} (empty for all), by key. */
    List<StoredObject> list(CloudCredential credential, String bucket, String prefix);

    /** Streams the object to {@code out}; returns its description. */
    StoredObject download(CloudCredential credential, String bucket, String key, OutputStream out);
}
