package io.tocsin.cloud.backup.policy;

import io.tocsin.common.kafka.CompactedTopicReader;
import io.tocsin.common.kafka.KafkaClients;
import io.tocsin.schema.BackupCompleted;
import io.tocsin.schema.BackupOutcome;
import io.tocsin.schema.topics.TopicSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * What the policies have uploaded: per object ({@code credentialId:bucket:key}) the size and modification time of
 * the file whose upload succeeded. Rebuilt at start from the SUCCEEDED events with source {@code policy} on
 * {@code tocsin.backups} (which carry the size, not the file's time: after a restart a file counts as uploaded when
 * its size is the same), so a restart does not upload everything again. The topic keeps 30 days: a file whose last
 * upload is older than that is uploaded once more after a restart.
 *
 * <p>Not thread-safe: only the scanner's thread uses it.
 */
final class UploadMemory {

    static final String SOURCE = "policy";

    /** A file as uploaded; {@code modified} is null when known from an event only. */
    record Uploaded(long size, Long modified) {
    }

    private final Map<String, Uploaded> uploaded = new HashMap<>();

    static String object(String credentialId, String bucket, String key) {
        return credentialId + ":" + bucket + ":" + key;
    }

    /**
     * Reads the whole backups topic once.
     *
     * @throws RuntimeException when Kafka does not answer or the end is not reached within {@code timeout} (the
     *                          caller tries again; no upload starts before this succeeded)
     */
    void rebuild(KafkaClients clients, Duration timeout) {
        TopicSpec<String, BackupCompleted> topic = clients.topics().backups();
        Map<String, Uploaded> read = new HashMap<>();
        CompactedTopicReader.readToEnd(clients, topic.name(), timeout, record -> {
            if (record.value() == null) {
                return;
            }
            BackupCompleted event;
            try {
                event = topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
            } catch (RuntimeException e) { // one unreadable record must not stop every policy
                return;
            }
            if (SOURCE.equals(event.getSource()) && event.getOutcome() == BackupOutcome.SUCCEEDED) {
                read.put(object(event.getCredentialId(), event.getBucket(), event.getKey()), new Uploaded(event.getSize(), null));
            }
        });
        uploaded.putAll(read);
    }

    boolean has(String object, long size, long modified) {
        Uploaded done = uploaded.get(object);
        return done != null && done.size() == size && (done.modified() == null || done.modified() == modified);
    }

    void remember(String object, long size, long modified) {
        uploaded.put(object, new Uploaded(size, modified));
    }

    int size() {
        return uploaded.size();
    }
}
