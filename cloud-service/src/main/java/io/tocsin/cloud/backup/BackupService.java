package io.tocsin.cloud.backup;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.credentials.CredentialService;
import io.tocsin.cloud.credentials.Provider;
import io.tocsin.cloud.provider.BackupStorage;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.cloud.provider.StoredObject;
import io.tocsin.common.http.ProblemException;
import io.tocsin.schema.BackupCompleted;
import io.tocsin.schema.BackupOutcome;
import io.tocsin.schema.wire.FieldError;
import io.tocsin.schema.wire.InvalidRecordException;
import jakarta.inject.Singleton;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backups apart from HTTP: checks the request, finds the credential and the provider's {@link BackupStorage},
 * streams the data to it (length -1: the adapter uploads in parts as the bytes arrive, never the whole file in
 * memory), and publishes what happened ({@link BackupEvents}).
 *
 * <p>Error contract: invalid fields → 400 ({@link InvalidRecordException}) naming each ({@code credential},
 * {@code bucket}, {@code key}, {@code file}); unknown credential → 404; no storage adapter for the credential's
 * provider → 501; more than {@code tocsin.cloud.backups.max-size} bytes → 413; the provider's refusal or
 * unavailability, or the client's stream breaking off → {@link CloudException} (answered by the API's handler), and
 * for an upload a FAILED event and the raised alarm (also for any other exception, which is then answered 500); Kafka
 * not taking the event of a stored upload → 503, of a failed one → logged, and the upload's own error is answered.
 * Messages never carry a secret.
 */
@Singleton
public class BackupService {

    private static final Logger LOG = LoggerFactory.getLogger(BackupService.class);

    private final CredentialService credentials;
    private final List<BackupStorage> storages;
    private final BackupEvents events;
    private final BackupSettings settings;

    public BackupService(CredentialService credentials, List<BackupStorage> storages, BackupEvents events, BackupSettings settings) {
        this.credentials = credentials;
        this.storages = List.copyOf(storages);
        this.events = events;
        this.settings = settings;
    }

    /** Fails with a 400 naming every field that is wrong; {@code key} is the one to use (the file name's when none). */
    public static String checkUpload(String credential, String bucket, String key, String fileName, boolean fileGiven) {
        List<FieldError> errors = new ArrayList<>();
        if (credential == null || credential.isBlank()) {
            errors.add(new FieldError("credential", "is required: the id of a cloud credential"));
        }
        errors.addAll(BackupKeys.checkBucket(bucket));
        String effective = key == null || key.isEmpty() ? BackupKeys.fromFileName(fileName) : key;
        if (key != null && !key.isEmpty() || fileGiven) {
            errors.addAll(effective == null ? List.of(new FieldError("key", "is required when the file has no usable name"))
                    : BackupKeys.check("key", effective));
        }
        if (!fileGiven) {
            errors.add(new FieldError("file", "is required: the part with the backup's bytes"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
        return effective;
    }

    /**
     * Streams {@code data} to the credential's storage and answers once the provider confirmed the object. The
     * credential and adapter are looked up before a byte is read, so a 404 or 501 costs no transfer.
     */
    public Backup upload(String credentialId, String bucket, String key, InputStream data, String contentType, String source) {
        CloudCredential credential = credentials.get(credentialId);
        BackupStorage storage = storage(credential.provider());
        Instant started = now();
        Counting counted = new Counting(data, settings.maxSize());
        StoredObject stored;
        try {
            stored = storage.upload(credential, bucket, key, counted, -1, contentType);
        } catch (RuntimeException e) { // CloudException by the adapters' contract; anything else is a bug, reported all the same
            String error = counted.tooLarge ? "the file is larger than tocsin.cloud.backups.max-size (" + settings.maxSize()
                    + " bytes); nothing was stored" : e instanceof CloudException ? e.getMessage() : "the upload failed unexpectedly: " + e;
            LOG.warn("Backup upload of {} {}/{} with credential {} failed after {} bytes: {}", credential.provider().apiName(),
                    bucket, key, credential.id(), counted.count, error, e instanceof CloudException ? null : e);
            try {
                events.completed(event(credential, bucket, key, counted.count, "", started, BackupOutcome.FAILED, error, source));
            } catch (RuntimeException unpublished) {
                // The upload's own failure is what the caller must see; the event's is logged and kept with it.
                LOG.error("The FAILED event of backup {}/{} was not published: {}", bucket, key, unpublished.getMessage());
                e.addSuppressed(unpublished);
            }
            if (counted.tooLarge) {
                throw new ProblemException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, error);
            }
            throw e;
        }
        // Outside the catch: the object is stored, so Kafka refusing its event is a 503 about the event, never a FAILED.
        events.completed(event(credential, bucket, key, stored.size(), stored.etag(), started, BackupOutcome.SUCCEEDED, "", source));
        return new Backup(credential.id(), credential.provider().apiName(), stored);
    }

    /** The objects under {@code prefix}, by key. */
    public List<Backup> list(String credentialId, String bucket, String prefix) {
        List<FieldError> errors = new ArrayList<>(BackupKeys.checkBucket(bucket));
        if (credentialId == null || credentialId.isBlank()) {
            errors.add(0, new FieldError("credential", "is required: the id of a cloud credential"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
        CloudCredential credential = credentials.get(credentialId);
        return storage(credential.provider()).list(credential, bucket, prefix == null ? "" : prefix).stream()
                .map(object -> new Backup(credential.id(), credential.provider().apiName(), object)).toList();
    }

    /** The object's description, or a 404 (looked up by listing its key as a prefix, so nothing is transferred). */
    public Backup describe(String credentialId, String bucket, String key) {
        List<FieldError> errors = new ArrayList<>(BackupKeys.checkBucket(bucket));
        errors.addAll(BackupKeys.check("key", key));
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
        Optional<Backup> found = list(credentialId, bucket, key).stream().filter(backup -> backup.key().equals(key)).findFirst();
        return found.orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND, "No backup '" + key + "' in bucket '" + bucket
                + "' of cloud credential " + credentialId));
    }

    /** Streams the object to {@code out}. */
    public StoredObject download(String credentialId, String bucket, String key, OutputStream out) {
        CloudCredential credential = credentials.get(credentialId);
        return storage(credential.provider()).download(credential, bucket, key, out);
    }

    /** The storage adapter of {@code provider}; 501 when this build has none (the first in bean order wins). */
    BackupStorage storage(Provider provider) {
        return storages.stream().filter(adapter -> adapter.provider() == provider).findFirst()
                .orElseThrow(() -> new ProblemException(HttpStatus.NOT_IMPLEMENTED, "This cloud service has no backup storage "
                        + "adapter for the provider '" + provider.apiName() + "' yet"));
    }

    private static BackupCompleted event(CloudCredential credential, String bucket, String key, long size, String etag,
                                         Instant started, BackupOutcome outcome, String error, String source) {
        return BackupCompleted.newBuilder().setCredentialId(credential.id()).setProvider(credential.provider().apiName())
                .setBucket(bucket).setKey(key).setSize(size).setEtag(etag == null ? "" : etag).setStartedAt(started)
                .setFinishedAt(now()).setOutcome(outcome).setError(error == null ? "" : error).setSource(source).build();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** An uploaded object as the API describes it. */
    @io.micronaut.serde.annotation.Serdeable
    public record Backup(String credential, String provider, String bucket, String key, long size, String etag, Instant lastModified) {
        Backup(String credential, String provider, StoredObject object) {
            this(credential, provider, object.bucket(), object.key(), object.size(), object.etag(), object.lastModified());
        }
    }

    /** Counts what passed and breaks the stream off (an IOException, so the adapter aborts) past the limit. */
    private static final class Counting extends FilterInputStream {
        private final long limit;
        long count;
        boolean tooLarge;

        Counting(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read;
            try {
                read = super.read(buffer, offset, length);
            } catch (IOException e) {
                // The request outgrew micronaut.server.max-request-size or multipart.max-file-size, which the service
                // sets to max-size too: the same refusal, whichever limit the multipart overhead made trip first.
                for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                    if (cause instanceof ContentLengthExceededException) {
                        tooLarge = true;
                    }
                }
                throw e;
            }
            if (read > 0) {
                count += read;
                if (count > limit) {
                    tooLarge = true;
                    throw new IOException("more than tocsin.cloud.backups.max-size (" + limit + " bytes)");
                }
            }
            return read;
        }
    }
}
