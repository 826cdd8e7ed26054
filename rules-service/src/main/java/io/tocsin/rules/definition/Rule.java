package io.tocsin.rules.definition;

import io.tocsin.schema.Severity;
import java.time.Duration;
import java.util.List;

/**
 * One threshold or event rule of the rules language (see docs/alarms.md). Metric rules have a metric, at least
 * one of {@code warning}/{@code critical}, an aggregate (with a window unless {@code LAST}) and optionally
 * {@code sustained} or {@code consecutive}, {@code clear}, {@code escalate} and overrides; event rules have a
 * fixed {@code severity} and optionally {@code escalate}. Instances are built by {@link RuleParser}, which has
 * validated every field; the fields that do not apply to a kind are {@code null} (or empty lists).
 *
 * @param type           the alarm type code, e.g. {@code HostCpuUsage}
 * @param kind           metric or event
 * @param metric         the metric name (DESIGN.md §4), metric rules only
 * @param instance       the instance glob, or {@code null} for every instance
 * @param warning        the warning condition, or {@code null}
 * @param critical       the critical condition, or {@code null}
 * @param aggregate      how samples in the window reduce to one value, metric rules only
 * @param window         the aggregation window, or {@code null} for {@code LAST}
 * @param sustained      how long a condition must hold before the alarm opens, or {@code null}
 * @param consecutive    how many consecutive samples must satisfy it, or {@code null}
 * @param clear          the explicit clear condition (hysteresis), or {@code null} for the default
 * @param escalate       the escalation to CRITICAL, or {@code null}
 * @param severity       the fixed severity, event rules only
 * @param component      the area (ClusterControl's component), e.g. {@code Host}
 * @param categories     the event categories, at least one
 * @param title          the title template, or {@code null}
 * @param message        the message template, or {@code null}
 * @param recommendation the recommendation template, or {@code null}
 * @param overrides      per-cluster / per-host thresholds, in file order
 */
public record Rule(String type, RuleKind kind, String metric, String instance, Condition warning, Condition critical,
                   Aggregate aggregate, Duration window, Duration sustained, Integer consecutive, Condition clear,
                   Escalation escalate, Severity severity, String component, List<String> categories,
                   MessageTemplate title, MessageTemplate message, MessageTemplate recommendation,
                   List<ThresholdOverride> overrides) {

    public Rule {
        categories = List.copyOf(categories);
        overrides = List.copyOf(overrides);
    }

    /**
     * The thresholds in force for {@code host} of {@code cluster}: the rule's own, replaced field by field by the
     * matching cluster-only overrides and then by the matching host overrides (host &gt; cluster &gt; default). Within
     * a level a later override wins over an earlier one. Either argument may be null (it then matches no selector).
     */
    public Thresholds effective(String cluster, String host) {
        Condition w = warning;
        Condition c = critical;
        for (boolean hostLevel : new boolean[] {false, true}) {
            for (ThresholdOverride override : overrides) {
                if (override.hostLevel() == hostLevel && override.matches(cluster, host)) {
                    w = override.warning() != null ? override.warning() : w;
                    c = override.critical() != null ? override.critical() : c;
                }
            }
        }
        return new Thresholds(w, c);
    }

    /** Whether the instance selector picks {@code instance} (always, without a selector). */
    public boolean selectsInstance(String instance) {
        return this.instance == null || Glob.matches(this.instance, instance == null ? "" : instance);
    }

    /**
     * Whether an open alarm of this metric rule clears at {@code value} under {@code thresholds}: the explicit
     * {@code clear} condition when there is one, otherwise when neither the warning nor the critical condition holds.
     */
    public boolean clears(Thresholds thresholds, double value) {
        if (clear != null) {
            return clear.holds(value);
        }
        return (thresholds.warning() == null || !thresholds.warning().holds(value))
                && (thresholds.critical() == null || !thresholds.critical().holds(value));
    }

    /** The severity {@code value} deserves under {@code thresholds} (critical wins), or {@code null} for none. */
    public Severity severityFor(Thresholds thresholds, double value) {
        if (thresholds.critical() != null && thresholds.critical().holds(value)) {
            return Severity.CRITICAL;
        }
        return thresholds.warning() != null && thresholds.warning().holds(value) ? Severity.WARNING : null;
    }
}
