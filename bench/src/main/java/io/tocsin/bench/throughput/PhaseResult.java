package io.tocsin.bench.throughput;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One measured phase: how many records were acknowledged in how long, the latency of each acknowledged call
 * (an HTTP request, or one send awaited), and how many calls failed.
 */
public record PhaseResult(String name, long records, long nanos, Histogram latencyMicros, long failures) {

    public double recordsPerSecond() {
        return nanos == 0 ? 0 : records * 1e9 / nanos;
    }

    public double p50Millis() {
        return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(50) / 1000.0;
    }

    public double p99Millis() {
        return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(99) / 1000.0;
    }

    static Histogram newHistogram() {
        return new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    }
}
