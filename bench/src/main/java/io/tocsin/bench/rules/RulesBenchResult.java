package io.tocsin.bench.rules;

import io.tocsin.bench.BenchResult.Latency;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The figures of a rules-scenario run: one {@link Repetition} per copy + rules pair, and their medians. Rates
 * are per second, latencies milliseconds (HdrHistogram, microsecond resolution, 3 significant digits).
 *
 * @param runId       names the run's hosts ({@code bench-<runId>-<repetition>-h<i>}), raw alarm sources and scratch topics
 * @param rate        the offered rate in records per second ({@code --rate}); 0 = as fast as the producer goes
 * @param repetitions the measured pairs, in order
 * @param medians     medians over the repetitions whose both phases completed
 * @param foreign     alarm events seen that no phase owed (other producers, heartbeat alarms of the bench's hosts, ...)
 * @param undecodable records on the alarm-events topic that were not decodable alarm events
 * @param problems    what went wrong outside the figures (a phase that timed out, a failed thread), for the summary
 */
public record RulesBenchResult(String runId, double rate, List<Repetition> repetitions, Medians medians, long foreign, long undecodable,
                               List<String> problems) {

    /** Every phase completed in time, and every owed event appeared exactly once, nothing else. */
    public boolean ok() {
        return problems.isEmpty() && repetitions.stream().allMatch(r -> r.copy().completed() && r.rules().completed() && r.events().ok());
    }

    /**
     * One side's phase: the same records, sent to its input topics while it runs.
     *
     * @param side              {@code copy} or {@code rules}
     * @param records           records sent (samples + raw alarm raises and clears)
     * @param samples           of those, metric samples
     * @param sendSeconds       first send to the last acknowledgement
     * @param sentPerSecond     records over {@code sendSeconds}: the offered load
     * @param completed         whether the side's group committed the end of its input within the timeout
     * @param completedSeconds  first send to the commit of the input's end being seen
     * @param recordsPerSecond  records over {@code completedSeconds}: the throughput compared
     * @param samplesPerSecond  samples over {@code completedSeconds}
     */
    public record Phase(String side, long records, long samples, double sendSeconds, double sentPerSecond, boolean completed,
                        double completedSeconds, double recordsPerSecond, double samplesPerSecond) {
    }

    /**
     * The alarm events the rules phase owed and what appeared on the alarm-events topic.
     *
     * @param owed       CREATED and ENDED events owed (metric crossings and raw alarms)
     * @param metric     of those, owed for metric crossings
     * @param appeared   owed events that appeared (each once)
     * @param lost       owed events that did not appear within the timeout
     * @param duplicated second appearances of an owed event
     * @param unexpected events of the phase's hosts or alarms that nobody owed (an UPDATED, a CREATED too many, ...)
     * @param latency    appearance minus the send (or, with a rate, due) time of the record that caused it
     */
    public record Events(long owed, long metric, long appeared, long lost, long duplicated, long unexpected, Latency latency) {

        boolean ok() {
            return lost == 0 && duplicated == 0 && unexpected == 0;
        }
    }

    /**
     * One pair.
     *
     * @param number    1, 2, ...
     * @param first     the side measured first ({@code copy} on odd repetitions, {@code rules} on even ones)
     * @param ratio     rules records/s over copy records/s; 0 unless both completed
     */
    public record Repetition(int number, String first, Phase copy, Phase rules, Events events, double ratio) {
    }

    /** Medians over the repetitions where both sides completed (all zero when none did). */
    public record Medians(int of, double copyPerSecond, double rulesPerSecond, double rulesSamplesPerSecond, double ratio,
                          double latencyP50, double latencyP99) {

        static Medians of(List<Repetition> repetitions) {
            List<Repetition> complete = repetitions.stream().filter(r -> r.copy().completed() && r.rules().completed()).toList();
            return new Medians(complete.size(), median(complete, r -> r.copy().recordsPerSecond()),
                    median(complete, r -> r.rules().recordsPerSecond()), median(complete, r -> r.rules().samplesPerSecond()),
                    median(complete, Repetition::ratio),
                    median(complete, r -> r.events().latency().p50()), median(complete, r -> r.events().latency().p99()));
        }
    }

    private static double median(List<Repetition> repetitions, ToDoubleFunction<Repetition> value) {
        return median(repetitions.stream().mapToDouble(value).toArray());
    }

    /** The median of {@code values}: the middle one, or the mean of the two middle ones; 0 of none. */
    static double median(double... values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        if (sorted.length == 0) {
            return 0;
        }
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
