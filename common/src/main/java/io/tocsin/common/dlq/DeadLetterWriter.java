package io.tocsin.common.dlq;

import io.micrometer.core.instrument.MeterRegistry;
import io.tocsin.common.kafka.KafkaClients;
import io.tocsin.common.kafka.TopicProvisioner;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a record that a consumer cannot handle to {@code tocsin.dlq}: the original key and bytes, the original
 * headers and {@link DeadLetterHeaders}. {@link #send} returns only once Kafka has the dead letter, so the
 * caller may then commit the original offset: a record is either handled or in the DLQ, never lost. Counted, once
 * Kafka has it, in {@code tocsin.dlq.records} ({@link DeadLetterMeter}: service, stage, source topic).
 */
@Singleton
public class DeadLetterWriter {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWriter.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String dlqTopic;
    private final MeterRegistry meters;

    public DeadLetterWriter(KafkaClients clients, TopicProvisioner provisioned, MeterRegistry meters) {
        this.producer = clients.newProducer("dlq");
        this.dlqTopic = clients.topics().dlq().name();
        this.meters = meters;
    }

    /**
     * Writes the dead letter and waits for Kafka's acknowledgement.
     *
     * @throws IllegalStateException when Kafka does not take it; the caller must then not commit the original
     */
    public void send(String stage, ConsumerRecord<byte[], byte[]> original, Throwable error) {
        send(stage, original, error, java.util.Map.of());
    }

    /**
     * As {@link #send(String, ConsumerRecord, Throwable)}, with headers of the caller's own besides (e.g. which
     * integration gave up on it, for a selective replay); each replaces a header of the same name.
     */
    public void send(String stage, ConsumerRecord<byte[], byte[]> original, Throwable error, java.util.Map<String, String> extra) {
        var headers = DeadLetterHeaders.add(DeadLetterHeaders.copy(original.headers()), stage, original.topic(),
                original.partition(), original.offset(), error);
        extra.forEach((name, value) -> headers.remove(name).add(name, value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        var record = new ProducerRecord<>(dlqTopic, null, original.key(), original.value(), headers);
        try {
            producer.send(record).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing a dead letter", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write a dead letter to " + dlqTopic, e);
        }
        DeadLetterMeter.counter(meters, original.topic(), stage).increment();
        LOG.warn("Dead-lettered {}-{}@{} at {}: {}", original.topic(), original.partition(), original.offset(), stage, error.getMessage());
    }

    @PreDestroy
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
