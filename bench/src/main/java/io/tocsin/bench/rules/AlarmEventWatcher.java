package io.tocsin.bench.rules;

import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.wire.Codecs;
import io.tocsin.schema.wire.InvalidRecordException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads {@code tocsin.alarm-events} from its end at the start of the run, {@code read_committed} (what a
 * dispatcher sees: an event exists for the pipeline once its transaction committed), and hands each event to the
 * {@link OwedEvents} of the phase it belongs to, stamped with the time it was polled. Phases are told apart by
 * their tag: a raw alarm's source, a metric alarm's host name {@code <tag>-h<i>}. Events of no watched phase
 * (other producers, this run's hosts' heartbeat alarms, types the workload does not owe) are counted as
 * {@link #foreign}; records that are not decodable alarm events as {@link #undecodable}.
 *
 * <p>No consumer group: the partitions are assigned, so the watcher commits nothing and joins nothing.
 */
final class AlarmEventWatcher implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, OwedEvents> phases = new ConcurrentHashMap<>();
    private final LongAdder foreign = new LongAdder();
    private final LongAdder undecodable = new LongAdder();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    private AlarmEventWatcher(String bootstrap) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        this.thread = Thread.ofPlatform().name("bench-alarm-events").daemon().unstarted(this::pollLoop);
    }

    /**
     * Starts reading {@code topic} from its current end: returns once the end is fixed, so every event of a
     * phase started afterwards is seen.
     */
    static AlarmEventWatcher start(String bootstrap, String topic) {
        AlarmEventWatcher watcher = new AlarmEventWatcher(bootstrap);
        try {
            List<TopicPartition> partitions = watcher.consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            watcher.consumer.assign(partitions);
            watcher.consumer.seekToEnd(partitions);
            // seekToEnd is lazy: resolve the positions now, before the first record of the run is sent.
            partitions.forEach(watcher.consumer::position);
        } catch (RuntimeException e) {
            watcher.consumer.close();
            throw e;
        }
        watcher.thread.start();
        return watcher;
    }

    /** Routes events tagged {@code tag} to {@code owed} from now on. */
    void watch(String tag, OwedEvents owed) {
        phases.put(tag, owed);
    }

    long foreign() {
        return foreign.sum();
    }

    long undecodable() {
        return undecodable.sum();
    }

    /** What stopped the watcher, or null while it runs. */
    Throwable failure() {
        return failure.get();
    }

    private void pollLoop() {
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                long receipt = OwedEvents.now();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    route(record.value(), receipt);
                }
            }
        } catch (WakeupException e) {
            // close() stops the loop
        } catch (RuntimeException e) {
            failure.set(e);
        }
    }

    private void route(byte[] value, long receipt) {
        AlarmEvent event;
        try {
            event = Codecs.ALARM_EVENT.decode(value);
        } catch (InvalidRecordException e) {
            undecodable.increment();
            return;
        }
        OwedEvents owed = phases.get(event.getSource());
        if (owed == null) {
            owed = phases.get(tagOfHost(event.getHostname()));
        }
        if (owed == null || !owed.received(event, receipt)) {
            foreign.increment();
        }
    }

    /** {@code bench-x1y2z3-2} of host {@code bench-x1y2z3-2-h17}; the host itself when it has no such suffix. */
    static String tagOfHost(String hostname) {
        int suffix = hostname.lastIndexOf("-h");
        return suffix > 0 ? hostname.substring(0, suffix) : hostname;
    }

    @Override
    public void close() {
        if (running) {
            running = false;
            consumer.wakeup();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            consumer.close();
        }
    }
}
