package io.tocsin.common.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.tocsin.common.kafka.KafkaClients;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer lag of this process's consumer groups ({@link KafkaClients#consumerGroups()}: the rules Streams application,
 * the dispatcher's group) and of those named in {@code tocsin.metrics.lag.groups}, as gauges
 * {@code tocsin_consumer_lag{group,topic,partition}} and {@code tocsin_consumer_lag_sum{group}}. Every
 * {@code tocsin.metrics.lag.interval} a daemon thread reads the groups' committed offsets and the partitions' end
 * offsets with one Admin client; the lag is the end offset (read_committed, the last stable offset: what the group
 * can read) minus the committed offset, never negative. A partition the group has never committed has no gauge
 * (as in {@code kafka-consumer-groups.sh}, its lag is unknown); a partition the group no longer commits loses its.
 *
 * <p>Error contract: nothing here affects the service. A reading that fails or times out (each Admin call is
 * bounded by {@code tocsin.metrics.lag.timeout}) keeps the gauges of the groups it could not read at their last
 * values, counts {@code tocsin_consumer_lag_read_failures_total} and logs once until a reading succeeds again.
 */
@Context
@Requires(beans = MeterRegistry.class)
@Requires(property = "tocsin.metrics.lag.enabled", notEquals = "false")
public class ConsumerLagMetrics implements AutoCloseable {

    static final String LAG = "tocsin.consumer.lag";
    static final String LAG_SUM = "tocsin.consumer.lag.sum";

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLagMetrics.class);

    private record PartitionKey(String group, TopicPartition partition) {
    }

    /** A gauge and the value it reports. */
    private record Reading(AtomicLong value, Gauge gauge) {
    }

    private final KafkaClients clients;
    private final MeterRegistry registry;
    private final LagSettings settings;
    private final Counter failures;
    private final ScheduledExecutorService scheduler;
    private final Map<PartitionKey, Reading> partitions = new ConcurrentHashMap<>();
    private final Map<String, Reading> sums = new ConcurrentHashMap<>();
    /** Used on the scheduler's thread only (and in close, once that thread has ended). */
    private volatile Admin admin;
    private boolean failing;

    public ConsumerLagMetrics(KafkaClients clients, MeterRegistry registry, LagSettings settings) {
        this.clients = clients;
        this.registry = registry;
        this.settings = settings;
        this.failures = Counter.builder("tocsin.consumer.lag.read.failures")
                .description("Readings of consumer group offsets that failed or timed out (the lag gauges keep their last values)")
                .register(registry);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                task -> Thread.ofPlatform().name("tocsin-consumer-lag").daemon(true).unstarted(task));
        long every = settings.interval().toMillis();
        scheduler.scheduleWithFixedDelay(this::readSafely, every, every, TimeUnit.MILLISECONDS);
    }

    private void readSafely() {
        try {
            read();
            if (failing) {
                LOG.info("Reading consumer group offsets works again");
            }
            failing = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failures.increment();
            if (!failing) {
                LOG.warn("Reading consumer group offsets for the lag metrics failed (retried every {}): {}", settings.interval(), e.toString());
            }
            failing = true;
        }
    }

    /** One reading: committed offsets of every group, end offsets of their partitions, then the gauges. */
    private void read() throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> groups = new TreeSet<>(clients.consumerGroups());
        groups.addAll(settings.groups());
        if (groups.isEmpty()) {
            return;
        }
        if (admin == null) {
            admin = clients.newAdmin("lag");
        }
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        groups.forEach(group -> specs.put(group, new ListConsumerGroupOffsetsSpec()));
        ListConsumerGroupOffsetsResult listed = admin.listConsumerGroupOffsets(specs, new ListConsumerGroupOffsetsOptions().timeoutMs(timeoutMs));
        Map<String, Map<TopicPartition, Long>> committed = new HashMap<>();
        Set<TopicPartition> all = new HashSet<>();
        Exception firstFailure = null;
        for (String group : groups) {
            try {
                Map<TopicPartition, Long> offsets = new HashMap<>();
                for (Map.Entry<TopicPartition, OffsetAndMetadata> entry
                        : listed.partitionsToOffsetAndMetadata(group).get(timeoutMs, TimeUnit.MILLISECONDS).entrySet()) {
                    if (entry.getValue() != null) {
                        offsets.put(entry.getKey(), entry.getValue().offset());
                    }
                }
                committed.put(group, offsets);
                all.addAll(offsets.keySet());
            } catch (ExecutionException | TimeoutException e) {
                firstFailure = firstFailure == null ? e : firstFailure;
            }
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        if (!all.isEmpty()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            all.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
            ListOffsetsResult result = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED).timeoutMs(timeoutMs));
            for (TopicPartition partition : all) {
                try {
                    ends.put(partition, result.partitionResult(partition).get(timeoutMs, TimeUnit.MILLISECONDS).offset());
                } catch (ExecutionException | TimeoutException e) {
                    // E.g. a topic deleted since the commit: that partition keeps its last value this time.
                    firstFailure = firstFailure == null ? e : firstFailure;
                }
            }
        }
        committed.forEach((group, offsets) -> update(group, offsets, ends));
        if (firstFailure != null) {
            throw new ExecutionException("some consumer group or end offsets could not be read", firstFailure);
        }
    }

    /** Sets the gauges of a group that was read: one per committed partition, the sum, and drops stale ones. */
    private void update(String group, Map<TopicPartition, Long> committed, Map<TopicPartition, Long> ends) {
        committed.forEach((partition, offset) -> {
            Long end = ends.get(partition);
            if (end != null) {
                reading(new PartitionKey(group, partition)).value().set(Math.max(0, end - offset));
            }
        });
        partitions.keySet().removeIf(key -> {
            if (key.group().equals(group) && !committed.containsKey(key.partition())) {
                registry.remove(partitions.get(key).gauge());
                return true;
            }
            return false;
        });
        long sum = partitions.entrySet().stream().filter(entry -> entry.getKey().group().equals(group))
                .mapToLong(entry -> entry.getValue().value().get()).sum();
        sums.computeIfAbsent(group, name -> {
            AtomicLong value = new AtomicLong();
            return new Reading(value, Gauge.builder(LAG_SUM, value, AtomicLong::get).tag("group", name)
                    .description("Consumer lag of the group over all its partitions").strongReference(true).register(registry));
        }).value().set(sum);
    }

    private Reading reading(PartitionKey key) {
        return partitions.computeIfAbsent(key, k -> {
            AtomicLong value = new AtomicLong();
            Gauge gauge = Gauge.builder(LAG, value, AtomicLong::get)
                    .tag("group", k.group()).tag("topic", k.partition().topic()).tag("partition", Integer.toString(k.partition().partition()))
                    .description("Records of the partition the group has not consumed yet: end offset (last stable) minus committed offset")
                    .strongReference(true).register(registry);
            return new Reading(value, gauge);
        });
    }

    /** Stops reading, closes the Admin client and removes the gauges. */
    @PreDestroy
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(settings.timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
                LOG.warn("The consumer lag reader did not stop in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
        partitions.values().forEach(reading -> registry.remove(reading.gauge()));
        sums.values().forEach(reading -> registry.remove(reading.gauge()));
        registry.remove(failures);
        partitions.clear();
        sums.clear();
    }
}
