package io.tocsin.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What the senders saw during one phase: alarms sent and accepted (raises and clears apart), POSTs, the HTTP
 * latency of each POST (request start to response, microseconds), and every refused or failed POST counted by
 * its status ({@code "503"}) or, when no response came, by the exception's name ({@code "ConnectException"}).
 * Thread-safe.
 */
final class IngestStats {

    private final LongAdder sent = new LongAdder();
    private final LongAdder posts = new LongAdder();
    private final LongAdder acceptedRaises = new LongAdder();
    private final LongAdder acceptedClears = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Histogram postMicros = new ConcurrentHistogram(3);
    private final AtomicLong firstPostStart = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastPostEnd = new AtomicLong();

    /** Records one POST of {@code alarms} raises or clears; {@code outcome} is the status or exception name. */
    void post(boolean clears, int alarms, long start, long end, String outcome) {
        posts.increment();
        if (!clears) {
            sent.add(alarms);
        }
        firstPostStart.accumulateAndGet(start, Math::min);
        lastPostEnd.accumulateAndGet(end, Math::max);
        postMicros.recordValue(Math.max(0, end - start) / 1_000);
        if ("202".equals(outcome)) {
            (clears ? acceptedClears : acceptedRaises).add(alarms);
        } else {
            errors.computeIfAbsent(outcome, k -> new LongAdder()).increment();
        }
    }

    long sent() {
        return sent.sum();
    }

    long posts() {
        return posts.sum();
    }

    long acceptedRaises() {
        return acceptedRaises.sum();
    }

    long acceptedClears() {
        return acceptedClears.sum();
    }

    /** Deliveries Tocsin owes each receiver path: one per accepted raise and one per accepted clear. */
    long owedDeliveries() {
        return acceptedRaises() + acceptedClears();
    }

    /** Failed POSTs by status or exception name, sorted. */
    Map<String, Long> errors() {
        Map<String, Long> sorted = new TreeMap<>();
        errors.forEach((k, v) -> sorted.put(k, v.sum()));
        return sorted;
    }

    long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Histogram postMicros() {
        return postMicros;
    }

    /** {@link AlarmLedger#now()} when the first POST started; 0 before any. */
    long firstPostStart() {
        long first = firstPostStart.get();
        return first == Long.MAX_VALUE ? 0 : first;
    }

    /** {@link AlarmLedger#now()} when the last POST ended; 0 before any. */
    long lastPostEnd() {
        return lastPostEnd.get();
    }
}
