package io.tocsin.bench.throughput;

import io.tocsin.bench.AlarmBodies;
import io.tocsin.schema.AlarmKeys;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.wire.Codecs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The broker's own throughput for the records the collector writes: the same alarms, Avro-encoded exactly as the
 * collector encodes them, keyed by alarm key, produced to a scratch topic ({@value #TOPIC}, as many partitions as
 * the raw alarms topic) with the collector's ingest producer settings ({@code acks=all}, idempotent, {@code linger.ms}
 * as given, 0 like the collector's default).
 * Two shapes: one-by-one (each thread waits for each acknowledgement, like an HTTP client waiting for its 202) and
 * streamed (everything sent, then flushed: the ceiling).
 */
final class ProducerLoad implements AutoCloseable {

    static final String TOPIC = "tocsin-bench.producer-baseline";

    private final KafkaProducer<byte[], byte[]> producer;
    private final AlarmBodies bodies;
    private final int clients;
    private final AtomicInteger nextAlarm = new AtomicInteger();

    ProducerLoad(String bootstrap, AlarmBodies bodies, int clients, int partitions, int lingerMs) throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, partitions, (short) -1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, lingerMs,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        this.bodies = bodies;
        this.clients = clients;
    }

    /** {@code clients} threads, each sending one record and waiting for its acknowledgement before the next. */
    PhaseResult oneByOne(String name, int records) throws InterruptedException {
        int first = nextAlarm.getAndAdd(records);
        AtomicInteger next = new AtomicInteger();
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        Histogram latency = PhaseResult.newHistogram();
        long start = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                threads.submit(() -> {
                    int k;
                    while ((k = next.getAndIncrement()) < records) {
                        ProducerRecord<byte[], byte[]> record = record(first + k);
                        long sent = System.nanoTime();
                        try {
                            producer.send(record).get(30, TimeUnit.SECONDS);
                            long micros = (System.nanoTime() - sent) / 1_000;
                            synchronized (latency) {
                                latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
                            }
                            acknowledged.incrementAndGet();
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
        }
        return new PhaseResult(name, acknowledged.get(), System.nanoTime() - start, latency, failures.get());
    }

    /** Every record sent at once, then flushed: the broker's and producer's ceiling for these records. */
    PhaseResult streamed(String name, int records) {
        int first = nextAlarm.getAndAdd(records);
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        long start = System.nanoTime();
        for (int k = 0; k < records; k++) {
            producer.send(record(first + k), (metadata, error) -> (error == null ? acknowledged : failures).incrementAndGet());
        }
        producer.flush();
        return new PhaseResult(name, acknowledged.get(), System.nanoTime() - start, PhaseResult.newHistogram(), failures.get());
    }

    private ProducerRecord<byte[], byte[]> record(int n) {
        // The collector's exact work per record: read the alarm's JSON, then encode it (single-object Avro).
        RawAlarm alarm = Codecs.RAW_ALARM.decodeAll(bodies.raises(n, n + 1)).getFirst();
        return new ProducerRecord<>(TOPIC, AlarmKeys.of(alarm).getBytes(StandardCharsets.UTF_8), Codecs.RAW_ALARM.encode(alarm));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
