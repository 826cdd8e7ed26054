package io.tocsin.rules.topology;

import java.time.Duration;
import java.util.Map;

/**
 * The timing knobs of the rules topology (bound from {@code tocsin.rules.*} by the service; tests build them).
 *
 * @param grace                 how far behind the newest sample of its series an out-of-order sample still counts
 *                              in a window aggregate; older samples are dropped (never judged)
 * @param hostInterval          how often a host is expected to send samples
 * @param missedIntervals       how many intervals without a sample raise the host's heartbeat-lost alarm (also
 *                              the multiplier for sources with an expected interval)
 * @param sourceIntervals       expected intervals of raw-alarm sources by name (sources may also declare theirs
 *                              with the label {@code tocsin.expected-interval})
 * @param checkInterval         wall-clock period of the heartbeat, silence and escalation checks
 * @param statusFlushInterval   wall-clock period at which host and source status reach their state stores (and
 *                              so the unified view): status changes on every sample, and writing it each time would
 *                              double the changelog traffic of the hot path
 */
public record TopologySettings(Duration grace, Duration hostInterval, int missedIntervals, Map<String, Duration> sourceIntervals,
                               Duration checkInterval, Duration statusFlushInterval) {

    public TopologySettings {
        sourceIntervals = Map.copyOf(sourceIntervals);
        if (missedIntervals < 1) {
            throw new IllegalArgumentException("missed intervals must be at least 1");
        }
    }

    /** The defaults of {@code docs/CONFIGURATION.md}. */
    public static TopologySettings defaults() {
        return new TopologySettings(Duration.ofMinutes(5), Duration.ofSeconds(30), 3, Map.of(), Duration.ofSeconds(5), Duration.ofSeconds(1));
    }

    /** How long a host may stay silent before its heartbeat is lost. */
    public Duration hostSilence() {
        return hostInterval.multipliedBy(missedIntervals);
    }
}
