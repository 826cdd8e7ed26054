package io.tocsin.cloud.backup;

import io.micronaut.http.HttpStatus;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * <p>Error contract: Kafka not taking a record within {@value #WRITE_SECONDS} s is a 503 {@link ProblemException};
 * the upload itself has then happened (or failed) at the provider regardless.
 */
@Singleton
public class BackupEvents {

    public static final String ALARM_TYPE = "CloudBackupUploadFailed";
    public static final String ALARM_SOURCE = "tocsin-cloud";
    static final int WRITE_SECONDS = 10;

    private final TopicSpec<String, BackupCompleted> backups;
    private final TopicSpec<String, RawAlarm> alarms;
    private final KafkaProducer<byte[], byte[]> producer;

    public BackupEvents(KafkaClients clients, TopicProvisioner provisioned) {
        this.backups = clients.topics().backups();
        this.alarms = clients.topics().rawAlarms();
        this.producer = clients.newProducer("cloud-backups"); // acks=all, idempotent
    }

    /** Publishes the event and the alarm's raise or clear; returns once Kafka has both. */
    public void completed(BackupCompleted event) {
        String key = event.getCredentialId() + ":" + event.getBucket() + ":" + event.getKey();
        Future<RecordMetadata> first = send(backups.name(), key, backups.valueSerde().serializer().serialize(backups.name(), event));
        RawAlarm alarm = alarm(event);
        Future<RecordMetadata> second = send(alarms.name(), AlarmKeys.of(alarm), alarms.valueSerde().serializer().serialize(alarms.name(), alarm));
        await(first, key);
        await(second, key);
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

    private Future<RecordMetadata> send(String topic, String key, byte[] value) {
        return producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
    }

    private static void await(Future<RecordMetadata> written, String key) {
        try {
            written.get(WRITE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Interrupted while publishing the backup event of " + key);
        } catch (ExecutionException | TimeoutException e) {
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Kafka did not take the backup event of " + key + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
