package io.tocsin.cloud.provider.azure;

import com.azure.core.http.rest.Response;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobDownloadHeaders;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItemProperties;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * Backups in Azure Blob Storage: the credential's {@code storage_account}, a container as the bucket, the key as the
 * blob name, authenticated with the credential's application (a bearer token for {@code https://storage.azure.com/};
 * the application needs a data role such as Storage Blob Data Contributor, docs/cloud.md).
 *
 * <p>An upload is a block blob built block by block (https://learn.microsoft.com/rest/api/storageservices/put-block,
 * .../put-block-list): the stream is read into one buffer of {@code block-size} bytes, each full buffer is sent with
 * Put Block (its MD5 in {@code Content-MD5}, checked by Azure) and the buffer reused, so an upload holds one block in
 * memory whatever the file's size and whether its length is known. Put Block List then commits the blocks in order,
 * with the whole file's MD5; until then the blob does not exist, and the staged blocks of an upload that fails are
 * never committed (Azure discards uncommitted blocks after a week). Block ids carry a random prefix per upload, so
 * two uploads to the same name never commit each other's blocks.
 *
 * <p>Error contract: {@link CloudException} only ({@link AzureErrors}); a credential without {@code storage_account}
 * is INVALID naming it; data that cannot be read, or that has not the announced length, is INVALID and nothing is
 * committed; an unknown container is NOT_FOUND.
 */
@Singleton
public class AzureBlobStorage implements BackupStorage {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final AzureClients clients;

    public AzureBlobStorage(AzureClients clients) {
        this.clients = clients;
    }

    @Override
    public Provider provider() {
        return Provider.AZURE;
    }

    @Override
    public StoredObject upload(CloudCredential credential, String container, String key, InputStream data, long length, String contentType) {
        String operation = "upload of " + key + " to container " + container;
        BlockBlobClient blob = AzureErrors.call(operation, credential,
                () -> container(credential, container).getBlobClient(requireName(key, "key")).getBlockBlobClient());
        int blockSize = clients.settings().blockSize();
        byte[] buffer = new byte[blockSize];
        MessageDigest file = md5();
        MessageDigest block = md5();
        String upload = HexFormat.of().formatHex(randomBytes());
        List<String> ids = new ArrayList<>();
        long total = 0;
        while (true) {
            int n = readFully(data, buffer, operation);
            if (n == 0) {
                break;
            }
            if (ids.size() == AzureSettings.MAX_BLOCKS) {
                throw new CloudException(Kind.INVALID, "Azure " + operation + ": the file exceeds " + AzureSettings.MAX_BLOCKS
                        + " blocks of " + blockSize + " bytes; raise tocsin.cloud.azure.block-size", null);
            }
            // Every id of a blob must have the same length before base64: a fixed-width index does that.
            String id = Base64.getEncoder().encodeToString("%s-%06d".formatted(upload, ids.size()).getBytes(StandardCharsets.US_ASCII));
            file.update(buffer, 0, n);
            block.update(buffer, 0, n);
            byte[] bytes = n == buffer.length ? buffer : Arrays.copyOf(buffer, n);
            BlockBlobStageBlockOptions stage = new BlockBlobStageBlockOptions(id, BinaryData.fromBytes(bytes)).setContentMd5(block.digest());
            AzureErrors.call(operation + " (block " + ids.size() + ")", credential, () -> blob.stageBlockWithResponse(stage, null, Context.NONE));
            ids.add(id);
            total += n;
            if (n < buffer.length) {
                break;
            }
        }
        if (length >= 0 && total != length) {
            throw new CloudException(Kind.INVALID, "Azure " + operation + ": the data had " + total + " bytes, not the "
                    + length + " announced; nothing was committed", null);
        }
        BlobHttpHeaders headers = new BlobHttpHeaders().setContentMd5(file.digest())
                .setContentType(contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType);
        long size = total;
        Response<BlockBlobItem> committed = AzureErrors.call(operation + " (commit of " + ids.size() + " blocks)", credential,
                () -> blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(ids).setHeaders(headers), null, Context.NONE));
        return new StoredObject(container, key, size, instant(committed.getValue().getLastModified()), etag(committed.getValue().getETag()));
    }

    @Override
    public List<StoredObject> list(CloudCredential credential, String container, String prefix) {
        return AzureErrors.call("list of container " + container, credential, () -> {
            ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix == null || prefix.isEmpty() ? null : prefix);
            // The SDK follows NextMarker page after page; uncommitted blobs are not listed unless asked for.
            return container(credential, container).listBlobs(options, null).stream().map(item -> {
                BlobItemProperties properties = item.getProperties();
                return new StoredObject(container, item.getName(), properties.getContentLength() == null ? 0 : properties.getContentLength(),
                        instant(properties.getLastModified()), etag(properties.getETag()));
            }).sorted(Comparator.comparing(StoredObject::key)).toList();
        });
    }

    @Override
    public StoredObject download(CloudCredential credential, String container, String key, OutputStream out) {
        return AzureErrors.call("download of " + key + " from container " + container, credential, () -> {
            // Streams the body to out; a connection broken mid-way resumes from the last byte (Range), as the SDK does.
            BlobDownloadHeaders headers = container(credential, container).getBlobClient(requireName(key, "key"))
                    .downloadStreamWithResponse(out, null, null, null, false, null, Context.NONE).getDeserializedHeaders();
            return new StoredObject(container, key, headers.getContentLength() == null ? 0 : headers.getContentLength(),
                    instant(headers.getLastModified()), etag(headers.getETag()));
        });
    }

    private BlobContainerClient container(CloudCredential credential, String container) {
        return clients.blobs(credential).getBlobContainerClient(requireName(container, "container"));
    }

    private static String requireName(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new CloudException(Kind.INVALID, "Azure Blob: no " + what + " given", null);
        }
        return name;
    }

    /** Fills {@code buffer} from {@code data}; fewer bytes only at the end of the stream. */
    private static int readFully(InputStream data, byte[] buffer, String operation) {
        int filled = 0;
        try {
            while (filled < buffer.length) {
                int n = data.read(buffer, filled, buffer.length - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
            }
            return filled;
        } catch (IOException e) {
            throw new CloudException(Kind.INVALID, "Azure " + operation + ": reading the data failed (" + e.getMessage()
                    + "); nothing was committed", e);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5"); // what Content-MD5 is: an integrity check, not a security one
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available in this JVM", e);
        }
    }

    /** An ETag as List Blobs writes it, without the quotes its headers have, so the three operations agree. */
    private static String etag(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? Instant.EPOCH : time.toInstant();
    }
}
