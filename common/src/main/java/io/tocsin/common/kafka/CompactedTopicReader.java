package io.tocsin.common.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a whole topic, every partition from the beginning, then keeps following it on a thread of its own and
 * hands each record to a callback: how a service keeps an in-memory view of a compacted topic (integrations,
 * delivery markers). No consumer group: every instance reads everything, so every instance has the whole view.
 * {@link #awaitCaughtUp} tells when the records that were in the topic at start have all been handed over;
 * {@link #awaitHandled} when a record this service just wrote has been (read-your-writes for an API).
 *
 * <p>Error contract: a callback exception is logged and the record skipped (one bad record must not stop the
 * view); a Kafka failure makes the thread retry with a fresh consumer after a second.
 */
public final class CompactedTopicReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicReader.class);

    private final KafkaClients clients;
    private final String topic;
    private final Consumer<ConsumerRecord<byte[], byte[]>> callback;
    private final Duration pollTimeout;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Map<Integer, Long> handled = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    public CompactedTopicReader(KafkaClients clients, String topic, Duration pollTimeout,
                                Consumer<ConsumerRecord<byte[], byte[]>> callback) {
        this.clients = clients;
        this.topic = topic;
        this.callback = callback;
        this.pollTimeout = pollTimeout;
        this.thread = Thread.ofPlatform().name("tocsin-reader-" + topic).daemon(true).unstarted(this::run);
    }

    public CompactedTopicReader start() {
        thread.start();
        return this;
    }

    /** Waits until every record in the topic at start has been handed to the callback. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits until the record at {@code offset} of {@code partition} (e.g. one just written) has been handed to the
     * callback (or skipped after the callback failed on it).
     *
     * @return false when {@code timeout} passed first
     */
    public boolean awaitHandled(int partition, long offset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (handled.getOrDefault(partition, -1L) < offset) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /**
     * Reads once what {@code topic} holds now, every partition from the beginning to its current end, handing each
     * record to {@code callback} on the calling thread (for one-off scans: backfills, DLQ replays).
     *
     * @throws IllegalStateException when the end is not reached within {@code timeout}
     */
    public static void readToEnd(KafkaClients clients, String topic, Duration timeout,
                                 Consumer<ConsumerRecord<byte[], byte[]>> callback) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // A one-off scan: a plain consumer, not metered (its meters would vanish before the first scrape).
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(clients, "tocsin-reader-" + topic + "-" + UUID.randomUUID()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " did not finish within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        callback.accept(record);
                    }
                }
            }
        }
    }

    private static Map<String, Object> consumerProps(KafkaClients clients, String clientId) {
        Map<String, Object> props = clients.common();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
        return props;
    }

    private void run() {
        while (running) {
            // Metered, under a stable id (KafkaClients makes it unique among live clients), so its series survive
            // a restart of the consumer under the same label.
            try (KafkaConsumer<byte[], byte[]> current = clients.newConsumer(consumerProps(clients, "tocsin-reader-" + topic))) {
                consumer = current;
                if (!running) {
                    return;
                }
                List<TopicPartition> partitions = current.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(info -> new TopicPartition(topic, info.partition())).toList();
                current.assign(partitions);
                current.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = current.endOffsets(partitions);
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> record : current.poll(pollTimeout)) {
                        try {
                            callback.accept(record);
                        } catch (RuntimeException e) {
                            LOG.error("Skipping record {}-{}@{} of {}: {}", record.topic(), record.partition(), record.offset(),
                                    topic, e.toString());
                        } finally {
                            handled.merge(record.partition(), record.offset(), Math::max);
                        }
                    }
                    if (caughtUp.getCount() > 0 && partitions.stream().allMatch(p -> current.position(p) >= end.get(p))) {
                        caughtUp.countDown();
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("Reading {} failed; retrying in 1 s: {}", topic, e.toString());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            } finally {
                consumer = null;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
