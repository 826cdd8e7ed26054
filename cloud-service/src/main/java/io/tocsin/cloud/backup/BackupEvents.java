package io.tocsin.cloud.backup;

import io.micronaut.http.HttpStatus;
import io.tocsin.cloud.alarms.RawAlarmPublisher;
import io.tocsin.common.http.ProblemException;
import io.tocsin.common.kafka.KafkaClients;
import io.tocsin.common.kafka.TopicProvisioner;
import io.tocsin.schema.AlarmKeys;
import io.tocsin.schema.BackupCompleted;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.Severity;
import io.tocsin.schema.topics.TopicSpec;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * What an ended upload publishes: a {@link BackupCompleted} on {@code tocsin.backups} (acks=all, keyed
 * {@code credentialId:bucket:key}), and the raw alarm {@value #ALARM_TYPE} on {@code tocsin.raw.alarms}: RAISED
 * (Critical) when the upload failed, CLEARED when one of the same key succeeds. The alarm id is stable per
 * credential, bucket and key ({@link AlarmKeys#stableId}), so a repeated failure is deduplicated and the success
 * clears it; a clear of an alarm that was never raised is ignored by the rules, so every success sends one (no
 * state to lose on a restart).
 *
 * <p>The alarm goes through {@link RawAlarmPublisher}, the event through this class's producer; both are sent before
 * either is awaited, so the two waits overlap.
 *
 * <p>Error contract: Kafka not acknowledging either record within {@value #WRITE_SECONDS} s (refused, timed out,
 * interrupted) is a 503 {@link ProblemException} naming the record; the upload itself has then happened (or failed)
 * at the provider regardless.
 */
@Singleton
public class BackupEvents {

    public static final String ALARM_TYPE = "CloudBackupUploadFailed";
    public static final String ALARM_SOURCE = "tocsin-cloud";
    static final int WRITE_SECONDS = 10;

    private final TopicSpec<String, BackupCompleted> backups;
    private final RawAlarmPublisher alarms;
    private final KafkaProducer<byte[], byte[]> producer;

    public BackupEvents(KafkaClients clients, TopicProvisioner provisioned, RawAlarmPublisher alarms) {
        this.backups = clients.topics().backups();
        this.alarms = alarms;
        this.producer = clients.newProducer("cloud-backups"); // acks=all, idempotent
    }

    /** Publishes the event and the alarm's raise or clear; returns once Kafka has both. */
    public void completed(BackupCompleted event) {
        String key = event.getCredentialId() + ":" + event.getBucket() + ":" + event.getKey();
        Future<RecordMetadata> sent = send(key, event);
        RawAlarm alarm = alarm(event);
        Future<RecordMetadata> raisedOrCleared = alarms.send(alarm);
        await(sent, "the backup event of " + key);
        await(raisedOrCleared, "the alarm " + alarm.getState() + " of " + key);
    }

    static String alarmId(String credentialId, String bucket, String key) {
        return AlarmKeys.stableId(ALARM_TYPE, credentialId, bucket + "/" + key);
    }

    private static RawAlarm alarm(BackupCompleted event) {
        boolean failed = event.getOutcome() == io.tocsin.schema.BackupOutcome.FAILED;
        RawAlarm.Builder alarm = RawAlarm.newBuilder()
                .setSource(ALARM_SOURCE)
                .setAlarmId(alarmId(event.getCredentialId(), event.getBucket(), event.getKey()))
                .setState(failed ? RawAlarmState.RAISED : RawAlarmState.CLEARED)
                .setTimestamp(event.getFinishedAt())
                .setLabels(Map.of("credential", event.getCredentialId(), "provider", event.getProvider(),
                        "bucket", event.getBucket(), "key", event.getKey()));
        if (failed) {
            alarm.setType(ALARM_TYPE)
                    .setSeverity(Severity.CRITICAL)
                    .setComponent("Backup")
                    .setTitle("Backup upload to " + event.getProvider() + " " + event.getBucket() + "/" + event.getKey() + " failed")
                    .setMessage(event.getError())
                    .setRecommendation("Check the credential's permissions on the bucket (POST /api/v1/cloud/credentials/"
                            + event.getCredentialId() + "/verify) and the provider's status, then upload again");
        }
        return alarm.build();
    }

    private Future<RecordMetadata> send(String key, BackupCompleted event) {
        byte[] value = backups.valueSerde().serializer().serialize(backups.name(), event);
        try {
            return producer.send(new ProducerRecord<>(backups.name(), key.getBytes(StandardCharsets.UTF_8), value));
        } catch (RuntimeException e) { // thrown by send itself (a closed producer): awaited like Kafka's refusal
            return CompletableFuture.failedFuture(e);
        }
    }

    private static void await(Future<RecordMetadata> sent, String what) {
        RawAlarmPublisher.Published published = RawAlarmPublisher.await(sent, Duration.ofSeconds(WRITE_SECONDS));
        if (!published.acknowledged()) {
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Kafka did not take " + what + " (" + published.failure() + ")");
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
