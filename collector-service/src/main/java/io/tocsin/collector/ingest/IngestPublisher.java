package io.tocsin.collector.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tocsin.common.kafka.KafkaClients;
import io.tocsin.common.kafka.TopicProvisioner;
import io.tocsin.schema.AlarmKeys;
import io.tocsin.schema.HostMetric;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.topics.TopicSpec;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes what the collector accepted or observed to the raw topics: raw alarms to {@code tocsin.raw.alarms} keyed
 * by alarm key, metric samples to {@code tocsin.raw.metrics} keyed by host.
 *
 * <p>Error contract: the returned future completes only when Kafka has acknowledged every record of the call
 * ({@code acks=all}, idempotent producer), and fails with {@link KafkaUnavailableException} when any record was
 * refused or not acknowledged within {@code tocsin.collector.ingest.ack-timeout}. An HTTP caller answers 202 only
 * on success and 503 otherwise; records of a failed call may still reach Kafka later, which is harmless because
 * the rules service deduplicates by alarm key (and a repeated sample is just another sample).
 *
 * <p>Nothing blocks the caller's thread: the producer's metadata for both topics is fetched at start and
 * {@code max.block.ms} is short, so {@code send} only appends to the producer's buffer (HTTP requests are served on
 * the event loop; many concurrent requests share the producer's batches, which is what makes single-record
 * requests cheap).
 */
@Singleton
public class IngestPublisher {

    /** Bound on how long {@code send} may block when the producer's buffer is full (Kafka down under load). */
    static final int MAX_BLOCK_MS = 1_000;

    private final KafkaProducer<byte[], byte[]> producer;
    private final TopicSpec<String, RawAlarm> alarmTopic;
    private final TopicSpec<String, HostMetric> metricTopic;
    private final Duration ackTimeout;
    private final Counter alarmsWritten;
    private final Counter metricsWritten;
    private final Counter failures;

    public IngestPublisher(KafkaClients clients, TopicProvisioner provisioned, IngestSettings settings, MeterRegistry meters) {
        Map<String, Object> config = clients.producerConfig("ingest");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
        config.put(ProducerConfig.LINGER_MS_CONFIG, (int) settings.linger().toMillis());
        this.producer = clients.newProducer(config); // metered (kafka_producer_*) like every client
        this.alarmTopic = clients.topics().rawAlarms();
        this.metricTopic = clients.topics().rawMetrics();
        this.ackTimeout = settings.ackTimeout();
        // Fetch the partitions now (the topics exist: the provisioner ran), so no request waits for metadata.
        producer.partitionsFor(alarmTopic.name());
        producer.partitionsFor(metricTopic.name());
        this.alarmsWritten = Counter.builder("tocsin.collector.records.written").tag("topic", "raw.alarms")
                .description("Records Kafka acknowledged").register(meters);
        this.metricsWritten = Counter.builder("tocsin.collector.records.written").tag("topic", "raw.metrics")
                .description("Records Kafka acknowledged").register(meters);
        this.failures = Counter.builder("tocsin.collector.publish.failures")
                .description("Publish calls Kafka did not acknowledge in time (answered 503, or a collector sample lost)").register(meters);
    }

    /** Publishes raw alarms; the future yields their alarm keys in order once Kafka has all of them. */
    public CompletableFuture<List<String>> alarms(List<RawAlarm> alarms) {
        List<String> keys = new ArrayList<>(alarms.size());
        for (RawAlarm alarm : alarms) {
            keys.add(AlarmKeys.of(alarm));
        }
        return send(alarmTopic, alarms, AlarmKeys::of, alarmsWritten).thenApply(ignored -> keys);
    }

    /** Publishes metric samples keyed by host; the future yields their count once Kafka has all of them. */
    public CompletableFuture<Integer> metrics(List<HostMetric> samples) {
        return send(metricTopic, samples, HostMetric::getHost, metricsWritten).thenApply(ignored -> samples.size());
    }

    private <V> CompletableFuture<Void> send(TopicSpec<String, V> topic, List<V> values, Function<V, String> key, Counter written) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (values.isEmpty()) {
            done.complete(null);
            return done;
        }
        AtomicInteger outstanding = new AtomicInteger(values.size());
        try {
            for (V value : values) {
                byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
                byte[] keyBytes = key.apply(value).getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topic.name(), keyBytes, bytes), (metadata, error) -> {
                    if (error != null) {
                        done.completeExceptionally(new KafkaUnavailableException("Kafka did not acknowledge the records: " + error.getMessage(), error));
                    } else if (outstanding.decrementAndGet() == 0) {
                        written.increment(values.size());
                        done.complete(null);
                    }
                });
            }
        } catch (RuntimeException e) {
            done.completeExceptionally(new KafkaUnavailableException("Kafka did not take the records: " + e.getMessage(), e));
        }
        return done.orTimeout(ackTimeout.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(error -> {
            failures.increment();
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
            return CompletableFuture.failedFuture(cause instanceof TimeoutException
                    ? new KafkaUnavailableException("Kafka did not acknowledge the records within " + ackTimeout, cause)
                    : cause);
        });
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
