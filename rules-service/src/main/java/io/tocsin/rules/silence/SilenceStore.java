package io.tocsin.rules.silence;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.http.HttpStatus;
import io.tocsin.common.http.ProblemException;
import io.tocsin.common.kafka.CompactedTopicReader;
import io.tocsin.common.kafka.KafkaClients;
import io.tocsin.common.kafka.TopicProvisioner;
import io.tocsin.schema.Silence;
import io.tocsin.schema.topics.TopicSpec;
import jakarta.annotation.PreDestroy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The silences, on the compacted {@code tocsin.silences} keyed by id. Every rules-service instance reads the whole
 * topic and keeps following it ({@link CompactedTopicReader}), so each has every silence in memory for the API; the
 * topology reads the same topic as a global store. Needs only the topic: it works with the topology disabled.
 *
 * <p>Error contract: {@link #save} returns once Kafka has acknowledged the record ({@code acks=all}) and this
 * instance's view has it (read-your-writes), and throws {@link ProblemException} 503 when Kafka did not take it.
 * Reads wait until the topic has been read to its end at start, and answer 503 when that takes longer than
 * {@value #READ_WAIT_SECONDS} s. A record that does not decode is left out, with an error in the log.
 *
 * <p>Created with the context, not at the first request: the topic is read by the time the API is asked, and the
 * active-silences gauge exists from the start.
 */
@Context
public class SilenceStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SilenceStore.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(15);
    static final int READ_WAIT_SECONDS = 10;

    private final TopicSpec<String, Silence> topic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final CompactedTopicReader reader;
    private final Map<String, Silence> silences = new ConcurrentHashMap<>();

    public SilenceStore(KafkaClients clients, TopicProvisioner provisioned, MeterRegistry meters) {
        this.topic = clients.topics().silences();
        this.producer = clients.newProducer("silences");
        this.reader = new CompactedTopicReader(clients, topic.name(), Duration.ofMillis(100), this::apply).start();
        Gauge.builder("tocsin.rules.silences.active", this, store -> store.countActive(Instant.now()))
                .description("Silences in their window now (their matching alarms are not notified)").register(meters);
    }

    /** Writes (creates or rewrites) a silence and returns once Kafka and this instance's view have it. */
    public void save(Silence silence) {
        byte[] key = silence.getId().getBytes(StandardCharsets.UTF_8);
        byte[] value = topic.valueSerde().serializer().serialize(topic.name(), silence);
        RecordMetadata written;
        try {
            written = producer.send(new ProducerRecord<>(topic.name(), key, value)).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Interrupted while storing silence " + silence.getId());
        } catch (ExecutionException | TimeoutException e) {
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Kafka did not take silence " + silence.getId()
                    + " (" + e.getMessage() + "); list the silences and retry if it is missing");
        }
        awaitApplied(written);
    }

    /** The silence with this id, if any (expired ones included). */
    public Optional<Silence> find(String id) {
        awaitRead();
        return Optional.ofNullable(silences.get(id));
    }

    /** Every silence known, in no particular order. */
    public List<Silence> all() {
        awaitRead();
        return List.copyOf(silences.values());
    }

    /** Silences active at {@code now}. */
    int countActive(Instant now) {
        return (int) silences.values().stream().filter(silence -> SilenceMatcher.active(silence, now)).count();
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return reader.awaitCaughtUp(timeout);
    }

    private void awaitRead() {
        try {
            if (!reader.awaitCaughtUp(Duration.ofSeconds(READ_WAIT_SECONDS))) {
                throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "The silences are still being read from Kafka ("
                        + topic.name() + "); retry in a few seconds");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Interrupted while reading the silences");
        }
    }

    private void awaitApplied(RecordMetadata written) {
        try {
            if (!reader.awaitHandled(written.partition(), written.offset(), WRITE_TIMEOUT)) {
                // Kafka has it, so the answer stands; this instance's list catches up when its reader does.
                LOG.warn("Silence record {}@{} is stored but not yet read back after {}", written.partition(),
                        written.offset(), WRITE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        try {
            if (record.key() == null) {
                return;
            }
            String id = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() == null) {
                silences.remove(id);
                return;
            }
            silences.put(id, topic.valueSerde().deserializer().deserialize(topic.name(), record.value()));
        } catch (RuntimeException e) {
            LOG.error("Silence record {}-{}@{} is left out: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }

    @PreDestroy
    @Override
    public void close() {
        reader.close();
        producer.close(Duration.ofSeconds(5));
    }
}
