package io.tocsin.collector.ingest.pacemaker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Drops stale Pacemaker alerts with {@code CRM_alert_node_sequence}. Pacemaker runs every alert agent as its own
 * process, all at once (seed 004, "all alerts are fired off at the same time as separate processes"), so the
 * agents of two quick events on one node can reach the collector in either order; the sequence number says which
 * event is later, but "has no cluster-wide meaning": it counts the alerts of one node's executor. So the gate keeps,
 * per reporting node and alarm key, the highest sequence it let through, and an alert whose sequence is not higher
 * is stale: a later event about the same alarm from the same node has already been written.
 *
 * <p>Pacemaker's executor numbers alerts from 1 again when it restarts ({@code daemons/execd/execd_alerts.c}, a
 * static counter). So a lower sequence whose timestamp is later than the remembered alert's passes: it is the
 * restarted executor, not a late agent (within one node the timestamp is taken before the sequence is assigned, so
 * a late agent's timestamp is never later). Without timestamps only the sequence counts.
 *
 * <p>The gate lives in this collector's memory: bounded to {@code capacity} pairs (the least recently used is
 * forgotten), per collector instance, and empty after a restart. That is enough for what it guards against, agents
 * of events a moment apart overtaking each other, which all reach the same collector within seconds; a forgotten
 * pair only lets the next alert pass, which is what happens without a gate.
 *
 * <p>Order: an alert that passes is handed to the publisher while the gate is held, so alerts leave in the order
 * they passed (records of one alarm key share a partition, whose order Kafka keeps). When the publication fails
 * (nothing reported accepted) the pair's previous mark is put back, so the same alert sent again is not stale.
 */
final class SequenceGate {

    private record Mark(long sequence, Instant timestamp) {
    }

    private final Map<String, Mark> marks;
    private final Counter evictions;

    SequenceGate(int capacity, MeterRegistry meters) {
        this.evictions = Counter.builder("tocsin.collector.pacemaker.sequence.evictions")
                .description("(reporting node, alarm) pairs the Pacemaker sequence gate forgot to stay within its size").register(meters);
        this.marks = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Mark> eldest) {
                boolean full = size() > capacity;
                if (full) {
                    evictions.increment();
                }
                return full;
            }
        };
        Gauge.builder("tocsin.collector.pacemaker.sequence.entries", this, SequenceGate::size).strongReference(true)
                .description("(reporting node, alarm) pairs the Pacemaker sequence gate remembers").register(meters);
    }

    /**
     * Lets the alert through unless it is stale, and starts its publication.
     *
     * @return null when the alert is stale (nothing published); else {@code publish}'s future
     */
    <T> CompletableFuture<T> publishInOrder(String reporter, String alarmKey, long sequence, Instant timestamp,
                                            Supplier<CompletableFuture<T>> publish) {
        String key = reporter + '\0' + alarmKey;
        Mark mark = new Mark(sequence, timestamp);
        Mark previous;
        CompletableFuture<T> published;
        synchronized (this) {
            previous = marks.get(key);
            if (previous != null && isStale(mark, previous)) {
                return null;
            }
            marks.put(key, mark);
            try {
                published = publish.get();
            } catch (RuntimeException e) {
                restore(key, mark, previous);
                throw e;
            }
        }
        return published.whenComplete((result, error) -> {
            if (error != null) {
                restore(key, mark, previous);
            }
        });
    }

    private static boolean isStale(Mark next, Mark last) {
        if (next.sequence() > last.sequence()) {
            return false;
        }
        return next.timestamp() == null || last.timestamp() == null || !next.timestamp().isAfter(last.timestamp());
    }

    /** Puts the previous mark back, unless a later alert has replaced this one meanwhile. */
    private synchronized void restore(String key, Mark mark, Mark previous) {
        if (marks.get(key) == mark) {
            if (previous == null) {
                marks.remove(key);
            } else {
                marks.put(key, previous);
            }
        }
    }

    synchronized int size() {
        return marks.size();
    }
}
