package io.tocsin.cloud.watcher;

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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes the watcher's raw alarms to {@code tocsin.raw.alarms}, keyed by alarm key, and waits for Kafka's
 * acknowledgement ({@code acks=all}, idempotent producer from {@link KafkaClients}).
 *
 * <p>Error contract: {@link #publish} returns only once Kafka has the record; otherwise it returns {@code false}
 * (not acknowledged within {@value #ACK_TIMEOUT_SECONDS} s, refused, interrupted) and the caller keeps its state so
 * that the next poll publishes again. A record that was not acknowledged in time may still arrive: harmless, the rules
 * service deduplicates by alarm key.
 */
@Singleton
class AlarmPublisher implements AutoCloseable {

    static final int ACK_TIMEOUT_SECONDS = 15;

    private final KafkaProducer<byte[], byte[]> producer;
    private final TopicSpec<String, RawAlarm> topic;

    /** {@code provisioned}: the topics exist before the first send. */
    @Inject
    AlarmPublisher(KafkaClients clients, TopicProvisioner provisioned) {
        this(clients.newProducer("cloud-watcher"), clients.topics().rawAlarms());
    }

    /** A publisher of another producer (tests). */
    AlarmPublisher(KafkaProducer<byte[], byte[]> producer, TopicSpec<String, RawAlarm> topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /** @return whether Kafka acknowledged the record; the failure's reason is in {@code failure[0]} when not */
    boolean publish(RawAlarm alarm, String[] failure) {
        byte[] key = AlarmKeys.of(alarm).getBytes(StandardCharsets.UTF_8);
        byte[] value = topic.valueSerde().serializer().serialize(topic.name(), alarm);
        try {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure[0] = "interrupted";
            return false;
        } catch (ExecutionException e) {
            failure[0] = String.valueOf(e.getCause());
            return false;
        } catch (TimeoutException e) {
            failure[0] = "not acknowledged within " + ACK_TIMEOUT_SECONDS + " s";
            return false;
        } catch (RuntimeException e) { // send itself failed (buffer full past max.block.ms, a closed producer)
            failure[0] = e.toString();
            return false;
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
