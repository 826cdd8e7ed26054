package io.tocsin.cloud.provider;

import java.time.Instant;

/**
 * An object in a bucket (S3, Google Cloud Storage) or container (Azure Blob).
 *
 * @param bucket       bucket or container
 * @param key          object key or blob name
 * @param size         bytes
 * @param lastModified when it was written
 * @param etag         the provider's entity tag (or MD5/CRC when that is what it gives), for comparing uploads
 */
public record StoredObject(String bucket, String key, long size, Instant lastModified, String etag) {
}
