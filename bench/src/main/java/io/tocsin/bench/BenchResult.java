package io.tocsin.bench;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The figures of a measured phase, computed once the phase is over. Latencies are milliseconds with microsecond
 * precision (from HdrHistogram, 3 significant digits); rates are per second.
 *
 * @param runId   the run's id: alarms came from source {@code bench-<runId>}
 * @param ingest  what the senders saw
 * @param paths   one entry per receiver path, healthy first
 * @param foreign receiver requests that were not deliveries of this run's measured alarms (warm-up stragglers,
 *                other traffic)
 */
public record BenchResult(String runId, Ingest ingest, List<PathResult> paths, long foreign) {

    /** Nothing lost, nothing duplicated, every POST accepted. */
    public boolean ok() {
        return ingest.errorCount() == 0 && paths.stream().allMatch(p -> p.lost() == 0 && p.duplicated() == 0);
    }

    /** The result of {@code path}; throws when the run had no such path. */
    public PathResult path(String path) {
        return paths.stream().filter(p -> p.path().equals(path)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no receiver path " + path));
    }

    /**
     * @param sent              alarms sent (raises)
     * @param posts             POSTs made, clears included
     * @param acceptedRaises    raises Tocsin accepted (202)
     * @param acceptedClears    clears Tocsin accepted
     * @param acceptedPerSecond accepted raises and clears over the sending phase (first POST start to last answer)
     * @param sendingSeconds    length of the sending phase
     * @param post              HTTP latency of one POST
     * @param errors            failed POSTs by status or exception name
     */
    public record Ingest(long sent, long posts, long acceptedRaises, long acceptedClears, double acceptedPerSecond,
                         double sendingSeconds, Latency post, Map<String, Long> errors) {

        public long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * @param path               {@code healthy} or {@code failing}
     * @param url                where Tocsin delivers to
     * @param expected           deliveries Tocsin owed: accepted raises plus accepted clears
     * @param received           distinct (alarm, status) deliveries received
     * @param lost               owed deliveries that did not arrive before the timeout
     * @param duplicated         receipts beyond the first of an (alarm, status)
     * @param duplicatedSameId   of those, how many repeated the first receipt's {@code webhook-id} (re-sends)
     * @param unexpected         deliveries of alarms whose POST was not answered 202
     * @param refused            requests the failing path answered with its error status
     * @param deliveredPerSecond received over first POST start to last receipt
     * @param latency            receipt minus the alarm's reference time (POST start, or due time with --rate)
     */
    public record PathResult(String path, String url, long expected, long received, long lost, long duplicated,
                             long duplicatedSameId, long unexpected, long refused, double deliveredPerSecond, Latency latency) {
    }

    /** Percentiles in milliseconds of {@code count} samples. */
    public record Latency(long count, double p50, double p99, double p999, double max) {

        public static Latency of(Histogram micros) {
            if (micros.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0);
            }
            return new Latency(micros.getTotalCount(), ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(99)),
                    ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()));
        }

        private static double ms(long micros) {
            return micros / 1000.0;
        }
    }

    /** Computes the figures of {@code phase}, delivered to {@code receivers}. */
    static BenchResult of(String runId, Phase phase, WebhookReceivers receivers) {
        IngestStats in = phase.ingest();
        double sendingSeconds = seconds(in.lastPostEnd() - in.firstPostStart());
        Ingest ingest = new Ingest(in.sent(), in.posts(), in.acceptedRaises(), in.acceptedClears(),
                perSecond(in.owedDeliveries(), sendingSeconds), sendingSeconds, Latency.of(in.postMicros()), in.errors());
        List<PathResult> paths = phase.paths().stream().map(stats -> {
            double span = seconds(stats.lastReceipt() - in.firstPostStart());
            return new PathResult(stats.path(), receivers.url(stats.path()), in.owedDeliveries(), stats.distinct(), stats.lost(),
                    stats.duplicates(), stats.duplicatesSameWebhookId(), stats.unexpected(), stats.refusedCount(),
                    stats.lastReceipt() == 0 ? 0 : perSecond(stats.distinct(), span), Latency.of(stats.latencyMicros()));
        }).toList();
        return new BenchResult(runId, ingest, paths, receivers.foreign());
    }

    private static double seconds(long nanos) {
        return Math.max(0, nanos) / 1e9;
    }

    private static double perSecond(long n, double seconds) {
        return seconds > 0 ? n / seconds : 0;
    }
}
