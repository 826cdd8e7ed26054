package io.tocsin.rules.evaluation;

import io.tocsin.rules.definition.Aggregate;
import io.tocsin.rules.definition.Condition;
import io.tocsin.rules.definition.Rule;
import io.tocsin.rules.definition.Thresholds;
import io.tocsin.schema.Severity;
import java.time.Duration;

/**
 * Judges one sample of a series against its metric rule: the pure core of metric evaluation, with no Kafka in it.
 *
 * <ul>
 *   <li><b>Event time.</b> Samples are judged by their own time. A sample older than the newest one of its series is
 *       out of order: within the grace period it joins a window aggregate's samples but never causes a transition by
 *       itself (the next in-order sample judges the corrected aggregate); older than the grace period, or for rules
 *       without a window, it is dropped. So late and reordered samples never flap an alarm.</li>
 *   <li><b>Opening.</b> The aggregate must meet the warning or critical condition on every sample for
 *       {@code sustained} (event time) and/or {@code consecutive} samples; the alarm opens at the severity of the
 *       sample that completes the run. {@code avg}, {@code min} and {@code rate} judge only once the samples cover a
 *       whole window (ProcessCpuUsage: an average over 15 minutes, not over the first sample).</li>
 *   <li><b>While open.</b> The alarm clears when the rule's clear condition holds (default: neither level holds).
 *       Otherwise its severity follows the levels (de-escalation included); between the clear condition and the
 *       warning level (hysteresis) it stays at WARNING, or at CRITICAL for a rule without a warning level.
 *       Escalation raises a WARNING to CRITICAL after N cycles at WARNING or a duration; an escalated alarm stays
 *       CRITICAL until it clears.</li>
 * </ul>
 */
public final class SeriesEvaluator {

    private final Duration grace;

    /** @param grace how far behind the newest sample of its series an out-of-order sample may still count */
    public SeriesEvaluator(Duration grace) {
        this.grace = grace;
    }

    /** What one sample did to a series. */
    public record Outcome(Transition transition, boolean stateChanged, boolean late) {
        static final Outcome NOTHING = new Outcome(null, false, false);
        static final Outcome LATE = new Outcome(null, false, true);
    }

    /**
     * Judges the sample ({@code time}, {@code value}) of one series.
     *
     * @param newestSeen the event time of the newest sample of the same host, metric and instance seen before this
     *                   one (it is kept per host, across the rules a metric feeds), or {@link Long#MIN_VALUE}
     */
    public Outcome evaluate(Rule rule, Thresholds thresholds, SeriesState state, long time, double value, long newestSeen) {
        boolean windowed = rule.aggregate() != Aggregate.LAST && rule.window() != null;
        long window = windowed ? rule.window().toMillis() : 0;
        long newest = Math.max(newestSeen, windowed ? state.newest : Long.MIN_VALUE);
        if (newest != Long.MIN_VALUE && time <= newest) {
            if (windowed && time < newest && time > newest - grace.toMillis() && time > newest - window) {
                state.add(time, value);
                return new Outcome(null, true, false);
            }
            return time == newest ? Outcome.NOTHING : Outcome.LATE;
        }
        if (windowed) {
            if (state.newest == Long.MIN_VALUE || time - state.newest > window) {
                state.coveredSince = time;
            }
            state.add(time, value);
            state.pruneBefore(time - window + 1);
            state.newest = time;
        }
        Double aggregate = aggregate(rule, state, time, value);
        if (aggregate == null) {
            return new Outcome(null, windowed, false);
        }
        Snapshot before = fingerprint(state);
        Transition transition = state.open == null ? opening(rule, thresholds, state, time, aggregate)
                : whileOpen(rule, thresholds, state, time, aggregate);
        // A steady series of a rule without a window changes nothing here, so it costs no store write (and no
        // changelog record) per sample; a windowed one always keeps its new sample.
        return new Outcome(transition, windowed || transition != null || !fingerprint(state).equals(before), false);
    }

    /** The fields a sample of a rule without a window may change. */
    private record Snapshot(Severity open, boolean escalated, int cycles, long pendingSince, int consecutive, long openedAt) {
    }

    private static Snapshot fingerprint(SeriesState state) {
        return new Snapshot(state.open, state.escalated, state.cyclesAtWarning, state.pendingSince, state.consecutive, state.openedAt);
    }

    private static Transition opening(Rule rule, Thresholds thresholds, SeriesState state, long time, double value) {
        Severity severity = rule.severityFor(thresholds, value);
        if (severity == null) {
            state.resetPending();
            return null;
        }
        if (state.pendingSince < 0) {
            state.pendingSince = time;
            state.consecutive = 0;
        }
        state.consecutive++;
        boolean sustained = rule.sustained() == null || time - state.pendingSince >= rule.sustained().toMillis();
        boolean consecutive = rule.consecutive() == null || state.consecutive >= rule.consecutive();
        if (!sustained || !consecutive) {
            return null;
        }
        state.resetPending();
        state.open = severity;
        state.openedAt = time;
        state.escalated = false;
        enterSeverity(state, severity, time);
        return new Transition(Transition.Kind.OPEN, severity, value, conditionAt(thresholds, severity), time);
    }

    private static Transition whileOpen(Rule rule, Thresholds thresholds, SeriesState state, long time, double value) {
        if (rule.clears(thresholds, value)) {
            Severity had = state.open;
            state.open = null;
            state.escalated = false;
            state.resetPending();
            return new Transition(Transition.Kind.CLEAR, had, value, null, time);
        }
        Severity level = rule.severityFor(thresholds, value);
        Severity target = level != null ? level : thresholds.warning() != null ? Severity.WARNING : state.open;
        if (state.escalated) {
            target = Severity.CRITICAL;
        } else if (state.open == Severity.WARNING && target == Severity.WARNING && rule.escalate() != null) {
            state.cyclesAtWarning++;
            Integer cycles = rule.escalate().cycles();
            Duration after = rule.escalate().after();
            if ((cycles != null && state.cyclesAtWarning >= cycles) || (after != null && time - state.warningSince >= after.toMillis())) {
                state.escalated = true;
                target = Severity.CRITICAL;
            }
        }
        if (target == state.open) {
            return null;
        }
        state.open = target;
        enterSeverity(state, target, time);
        return new Transition(Transition.Kind.CHANGE, target, value, conditionAt(thresholds, target), time);
    }

    private static void enterSeverity(SeriesState state, Severity severity, long time) {
        if (severity == Severity.WARNING) {
            state.cyclesAtWarning = 0;
            state.warningSince = time;
        }
    }

    private static Condition conditionAt(Thresholds thresholds, Severity severity) {
        return severity == Severity.CRITICAL && thresholds.critical() != null ? thresholds.critical() : thresholds.warning();
    }

    /** The value the rule judges, or {@code null} while its window does not yet hold enough samples. */
    static Double aggregate(Rule rule, SeriesState state, long time, double value) {
        if (rule.aggregate() == Aggregate.LAST || rule.window() == null) {
            return value;
        }
        boolean covered = time - state.coveredSince >= rule.window().toMillis();
        return switch (rule.aggregate()) {
            case LAST -> value;
            case AVG -> covered ? sum(state) / state.size : null;
            case MIN -> covered ? min(state) : null;
            case MAX -> max(state);
            case SUM -> sum(state);
            case COUNT -> (double) state.size;
            case RATE -> state.size < 2 ? null
                    : (state.values[state.size - 1] - state.values[0]) / ((state.times[state.size - 1] - state.times[0]) / 1000.0);
        };
    }

    private static double sum(SeriesState state) {
        double sum = 0;
        for (int i = 0; i < state.size; i++) {
            sum += state.values[i];
        }
        return sum;
    }

    private static double min(SeriesState state) {
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < state.size; i++) {
            min = Math.min(min, state.values[i]);
        }
        return min;
    }

    private static double max(SeriesState state) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < state.size; i++) {
            max = Math.max(max, state.values[i]);
        }
        return max;
    }
}
