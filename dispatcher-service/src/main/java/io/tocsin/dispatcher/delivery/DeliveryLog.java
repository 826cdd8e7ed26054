package io.tocsin.dispatcher.delivery;

import io.tocsin.common.kafka.CompactedTopicReader;
import io.tocsin.common.kafka.KafkaClients;
import io.tocsin.common.kafka.TopicProvisioner;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.DeliveryOutcome;
import io.tocsin.schema.DeliveryRecord;
import io.tocsin.schema.topics.TopicSpec;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The final outcome of every delivery, on the compacted {@code tocsin.deliveries} keyed
 * {@code integrationId:alarmKey:status}, and an in-memory view of it that every dispatcher instance keeps by
 * reading the whole topic ({@link CompactedTopicReader}). The view serves two purposes:
 * <ul>
 *   <li>delivered markers: before delivering an event the engine asks {@link #finished}; an event whose outcome
 *       is recorded (by this instance or another, before a crash or a rebalance) is not sent again;</li>
 *   <li>the deliveries API ({@link #query}), newest first, with every instance's outcomes.</li>
 * </ul>
 * {@link #record} updates the view at once and calls back when Kafka has the record: the engine commits the
 * event's offset only after that, so an acknowledged delivery is never repeated, only one in flight at a crash.
 *
 * <p>Compaction keeps the newest outcome per key: a reopened alarm's new occurrence replaces the older one's
 * record. The view drops records older than {@code tocsin.dispatcher.engine.log-retention}.
 */
@Singleton
public class DeliveryLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLog.class);

    private final Map<String, DeliveryRecord> latest = new ConcurrentHashMap<>();
    private final KafkaProducer<byte[], byte[]> producer;
    private final TopicSpec<String, DeliveryRecord> topic;
    private final CompactedTopicReader reader;
    private final Duration retention;
    private final AtomicLong writes = new AtomicLong();
    // Marks this instance's own records: they are in the view already, so reading them back is skipped.
    private final byte[] instance = java.util.UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
    private static final String INSTANCE_HEADER = "tocsin.instance";

    public DeliveryLog(KafkaClients clients, TopicProvisioner provisioned, EngineSettings settings) {
        this.topic = clients.topics().deliveries();
        this.retention = settings.logRetention();
        this.producer = clients.newProducer("deliveries");
        this.reader = new CompactedTopicReader(clients, topic.name(), Duration.ofMillis(200), this::apply).start();
    }

    public static String key(String integrationId, String alarmKey, AlarmEventStatus status) {
        return integrationId + ":" + alarmKey + ":" + status.name();
    }

    /** Waits until the outcomes in the topic at start are known (before the engine sends anything). */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return reader.awaitCaughtUp(timeout);
    }

    /** Whether this very event already has a final outcome for the integration (delivered or dead-lettered). */
    public boolean finished(String integrationId, AlarmEvent event) {
        DeliveryRecord record = latest.get(key(integrationId, event.getAlarmKey(), event.getStatus()));
        return record != null && record.getEventId().equals(event.getEventId());
    }

    /** Whether the integration was delivered this very event. */
    public boolean delivered(String integrationId, String alarmKey, AlarmEventStatus status, String eventId) {
        DeliveryRecord record = latest.get(key(integrationId, alarmKey, status));
        return record != null && record.getEventId().equals(eventId) && record.getOutcome() == DeliveryOutcome.DELIVERED;
    }

    /**
     * Records an outcome: visible to {@link #finished} at once, {@code onWritten} called when Kafka has it (or has
     * refused it: then it is logged, and the delivery may be repeated after a crash, never lost).
     */
    public void record(DeliveryRecord record, Runnable onWritten) {
        String key = key(record.getIntegrationId(), record.getAlarmKey(), record.getStatus());
        latest.put(key, record);
        byte[] value = topic.valueSerde().serializer().serialize(topic.name(), record);
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(topic.name(), key.getBytes(StandardCharsets.UTF_8), value);
        out.headers().add(INSTANCE_HEADER, instance);
        producer.send(out, (metadata, error) -> {
            if (error != null) {
                LOG.error("Could not record the outcome of {} for integration {}: {}", record.getEventId(),
                        record.getIntegrationId(), error.toString());
            }
            onWritten.run();
        });
        if (writes.incrementAndGet() % 10_000 == 0) {
            expire();
        }
    }

    /** Outcomes matching {@code filter}, newest first, one page of them, with the total. */
    public Page query(Predicate<DeliveryRecord> filter, int page, int size) {
        List<DeliveryRecord> matching = latest.values().stream().filter(filter)
                .sorted(Comparator.comparing(DeliveryRecord::getTimestamp).reversed()
                        .thenComparing(DeliveryRecord::getEventId))
                .toList();
        int from = (int) Math.min((long) page * size, matching.size());
        return new Page(matching.size(), matching.subList(from, Math.min(from + size, matching.size())));
    }

    /** One page of outcomes and how many matched in all. */
    public record Page(int total, List<DeliveryRecord> items) {
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            return;
        }
        var origin = record.headers().lastHeader(INSTANCE_HEADER);
        if (origin != null && java.util.Arrays.equals(origin.value(), instance)) {
            return;
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            latest.remove(key);
            return;
        }
        DeliveryRecord value = topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
        // Our own writes come back too; keep whichever is newer, so a late echo never undoes a newer outcome.
        latest.merge(key, value, (mine, theirs) -> theirs.getTimestamp().isBefore(mine.getTimestamp()) ? mine : theirs);
    }

    private void expire() {
        Instant cutoff = Instant.now().minus(retention);
        latest.values().removeIf(record -> record.getTimestamp().isBefore(cutoff));
    }

    @PreDestroy
    @Override
    public void close() {
        reader.close();
        producer.close(Duration.ofSeconds(5));
    }
}
