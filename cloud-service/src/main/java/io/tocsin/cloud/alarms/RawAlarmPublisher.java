package io.tocsin.cloud.alarms;

import io.tocsin.common.kafka.KafkaClients;
import io.tocsin.common.kafka.TopicProvisioner;
import io.tocsin.schema.AlarmKeys;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.topics.TopicSpec;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The cloud service's one writer of raw alarms (the instance watcher's and the backups'): each goes to
 * {@code tocsin.raw.alarms} keyed by {@link AlarmKeys#of(RawAlarm)} (so a raise and its clear share a partition and
 * stay in order), from one idempotent {@code acks=all} producer of {@link KafkaClients}.
 *
 * <p>Error contract: nothing here throws for Kafka's sake. {@link #send} returns a future that fails when Kafka
 * refuses the record or the producer cannot take it (buffer full past {@code max.block.ms}, metadata unknown,
 * closed producer); {@link #publish} and {@link #await} turn that, a wait past their limit and an interrupt (the
 * flag is restored) into {@link Published} with {@code acknowledged=false} and the reason. What a caller does then
 * is its own contract: the watcher keeps its state and publishes again at the next poll, the backups answer 503.
 * A record that was not acknowledged in time may still arrive: harmless, the rules service deduplicates by key.
 */
@Singleton
public class RawAlarmPublisher implements AutoCloseable {

    /** How long {@link #publish} waits for the acknowledgement (the producer's own delivery timeout is 30 s). */
    public static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);

    /**
     * What became of a raw alarm.
     *
     * @param acknowledged whether Kafka has it (acks=all)
     * @param failure      why not, for a log line; null when acknowledged
     */
    public record Published(boolean acknowledged, String failure) {

        static final Published ACKNOWLEDGED = new Published(true, null);
    }

    private final KafkaProducer<byte[], byte[]> producer;
    private final TopicSpec<String, RawAlarm> topic;

    /** {@code provisioned}: the topics exist before the first send. */
    @Inject
    public RawAlarmPublisher(KafkaClients clients, TopicProvisioner provisioned) {
        this(clients.newProducer("cloud-alarms"), clients.topics().rawAlarms());
    }

    /** A publisher writing with {@code producer} to {@code topic} (tests; this one closes the producer). */
    public RawAlarmPublisher(KafkaProducer<byte[], byte[]> producer, TopicSpec<String, RawAlarm> topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /** Hands the alarm to the producer without waiting; the future completes with Kafka's acknowledgement. */
    public CompletableFuture<RecordMetadata> send(RawAlarm alarm) {
        CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
        try {
            byte[] key = AlarmKeys.of(alarm).getBytes(StandardCharsets.UTF_8);
            byte[] value = topic.valueSerde().serializer().serialize(topic.name(), alarm);
            producer.send(new ProducerRecord<>(topic.name(), key, value), (metadata, error) -> {
                if (error == null) {
                    acknowledged.complete(metadata);
                } else {
                    acknowledged.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) { // thrown by send itself: a closed producer, a serialisation or interrupt failure
            acknowledged.completeExceptionally(e);
        }
        return acknowledged;
    }

    /** Sends the alarm and waits up to {@link #ACK_TIMEOUT} for Kafka's acknowledgement. */
    public Published publish(RawAlarm alarm) {
        return await(send(alarm), ACK_TIMEOUT);
    }

    /** Waits up to {@code within} for a send (this publisher's or any producer's) to be acknowledged. */
    public static Published await(Future<?> sent, Duration within) {
        try {
            sent.get(within.toMillis(), TimeUnit.MILLISECONDS);
            return Published.ACKNOWLEDGED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Published(false, "interrupted");
        } catch (ExecutionException e) {
            return new Published(false, String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            return new Published(false, "not acknowledged within " + within.toMillis() + " ms");
        }
    }

    @PreDestroy
    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
