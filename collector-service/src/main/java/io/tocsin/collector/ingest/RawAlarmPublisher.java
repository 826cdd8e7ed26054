package io.tocsin.collector.ingest;

import io.tocsin.common.kafka.KafkaClients;
import io.tocsin.common.kafka.TopicProvisioner;
import io.tocsin.schema.AlarmKeys;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.topics.TopicSpec;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes accepted raw alarms to {@code tocsin.raw.alarms}, keyed by alarm key, and returns only when Kafka has
 * acknowledged every one ({@code acks=all}, idempotent producer). If Kafka does not acknowledge them in time
 * the caller is told so and must not report success; a retried request is harmless because the rules service
 * deduplicates by alarm key.
 */
@Singleton
public class RawAlarmPublisher {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<byte[], byte[]> producer;
    private final TopicSpec<String, RawAlarm> topic;

    public RawAlarmPublisher(KafkaClients clients, TopicProvisioner provisioned) {
        this.producer = clients.newProducer("ingest");
        this.topic = clients.topics().rawAlarms();
    }

    /**
     * Publishes the alarms and waits for Kafka.
     *
     * @throws KafkaUnavailableException when Kafka did not acknowledge all of them
     */
    public List<String> publish(List<RawAlarm> alarms) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(alarms.size());
        List<String> keys = new ArrayList<>(alarms.size());
        try {
            for (RawAlarm alarm : alarms) {
                String key = AlarmKeys.of(alarm);
                keys.add(key);
                byte[] value = topic.valueSerde().serializer().serialize(topic.name(), alarm);
                acks.add(producer.send(new ProducerRecord<>(topic.name(), key.getBytes(StandardCharsets.UTF_8), value)));
            }
            long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            return keys;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted while waiting for Kafka", e);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw new KafkaUnavailableException("Kafka did not acknowledge the alarms: " + e.getMessage(), e);
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
