package io.tocsin.bench.rules;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The baseline the rules service is compared with: a plain consume → produce copy on the same broker. It has
 * its own scratch input topics (the same partition counts and replication as Tocsin's raw topics, so the same
 * keys land the same way), which the bench feeds with exactly the records it feeds the rules service, and copies
 * every record to a scratch output topic: a {@code read_committed} consumer (the isolation Streams uses under
 * exactly-once), a producer with {@code acks=all} and idempotence, a flush after each polled batch and then a
 * synchronous offset commit. No decoding, no state, no transaction: what moving the same bytes through the
 * same broker costs. Like the rules service it runs for the whole bench run (warm), in its own thread.
 *
 * <p>Its progress is measured like the rules service's, through its consumer group's committed offsets
 * ({@link CommitProgress}). Topics {@code tocsin-bench-<runId>.raw.metrics}, {@code .raw.alarms} and
 * {@code .copy} and group {@code tocsin-bench-<runId>-copy} are created for the run and deleted by
 * {@link #close}.
 *
 * <p>Error contract: {@link #start} throws {@link IOException} when the scratch topics cannot be created; a send
 * the broker refuses is counted ({@link #sendErrors}), and a failure of the copy thread is kept
 * ({@link #failure}).
 */
final class CopyBaseline implements AutoCloseable {

    private static final long CALL_SECONDS = 30;

    private final Admin admin;
    private final String metricsTopic;
    private final String alarmsTopic;
    private final String outTopic;
    private final String group;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Thread thread;
    private final LongAdder copied = new LongAdder();
    private final LongAdder sendErrors = new LongAdder();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;

    private CopyBaseline(Admin admin, String bootstrap, String runId) {
        this.admin = admin;
        String prefix = "tocsin-bench-" + runId;
        this.metricsTopic = prefix + ".raw.metrics";
        this.alarmsTopic = prefix + ".raw.alarms";
        this.outTopic = prefix + ".copy";
        this.group = prefix + "-copy";
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // Kafka Streams' own default, so both sides fetch alike.
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                // What Tocsin's producers and its Streams producer use (tocsin.rules: linger.ms 1).
                ProducerConfig.LINGER_MS_CONFIG, 1,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        this.thread = Thread.ofPlatform().name("bench-copy").daemon().unstarted(this::copyLoop);
    }

    /**
     * Creates the scratch topics shaped like {@code metrics} and {@code alarms} (Tocsin's raw topics) and starts
     * copying.
     */
    static CopyBaseline start(Admin admin, String bootstrap, String runId, TopicDescription metrics, TopicDescription alarms)
            throws IOException {
        CopyBaseline copy = new CopyBaseline(admin, bootstrap, runId);
        try {
            short replication = (short) metrics.partitions().getFirst().replicas().size();
            int partitions = metrics.partitions().size();
            admin.createTopics(List.of(new NewTopic(copy.metricsTopic, partitions, replication),
                    new NewTopic(copy.alarmsTopic, alarms.partitions().size(), replication),
                    new NewTopic(copy.outTopic, partitions, replication))).all().get(CALL_SECONDS, TimeUnit.SECONDS);
            List<TopicPartition> inputs = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                inputs.add(new TopicPartition(copy.metricsTopic, p));
            }
            for (int p = 0; p < alarms.partitions().size(); p++) {
                inputs.add(new TopicPartition(copy.alarmsTopic, p));
            }
            // Assigned, not subscribed: no group rebalance (and its initial delay) before the first phase.
            copy.consumer.assign(inputs);
            copy.consumer.seekToBeginning(inputs);
            inputs.forEach(copy.consumer::position);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            copy.close();
            throw new IOException("cannot create the copy baseline's topics " + copy.metricsTopic + ", " + copy.alarmsTopic + ", "
                    + copy.outTopic + ": " + (e instanceof ExecutionException ? e.getCause().getMessage() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            copy.close();
            throw new IOException("interrupted while creating the copy baseline's topics", e);
        }
        copy.thread.start();
        return copy;
    }

    String metricsTopic() {
        return metricsTopic;
    }

    String alarmsTopic() {
        return alarmsTopic;
    }

    String outTopic() {
        return outTopic;
    }

    String group() {
        return group;
    }

    long copied() {
        return copied.sum();
    }

    long sendErrors() {
        return sendErrors.sum();
    }

    /** What stopped the copy thread, or null while it runs (or stopped by {@link #close}). */
    Throwable failure() {
        return failure.get();
    }

    private void copyLoop() {
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    producer.send(new ProducerRecord<>(outTopic, record.key(), record.value()), (metadata, error) -> {
                        if (error != null) {
                            sendErrors.increment();
                        }
                    });
                }
                // At-least-once: the batch is acknowledged (acks=all) before its offsets are committed.
                producer.flush();
                consumer.commitSync();
                copied.add(records.count());
            }
        } catch (WakeupException e) {
            // close() stops the loop
        } catch (RuntimeException e) {
            failure.set(e);
        }
    }

    /** Stops copying and deletes the scratch topics and group; returns why cleaning up failed, or null. */
    String cleanUp() {
        close();
        try {
            admin.deleteTopics(List.of(metricsTopic, alarmsTopic, outTopic)).all().get(CALL_SECONDS, TimeUnit.SECONDS);
            admin.deleteConsumerGroups(List.of(group)).all().get(CALL_SECONDS, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause().getMessage();
        } catch (TimeoutException e) {
            return "no answer from Kafka within " + CALL_SECONDS + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Override
    public void close() {
        if (running) {
            running = false;
            consumer.wakeup();
            try {
                if (thread.isAlive()) {
                    thread.join(TimeUnit.SECONDS.toMillis(CALL_SECONDS));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            consumer.close();
            producer.close(Duration.ofSeconds(CALL_SECONDS));
        }
    }
}
