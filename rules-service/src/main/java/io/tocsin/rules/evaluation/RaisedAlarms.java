package io.tocsin.rules.evaluation;

import io.tocsin.rules.definition.MessageTemplate;
import io.tocsin.rules.definition.Rule;
import io.tocsin.schema.AlarmKeys;
import io.tocsin.schema.HostMetric;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The raw alarms the rules service raises itself (metric thresholds, lost heartbeats). Their source is
 * {@value #SOURCE} and their alarm id is {@code <type>-<16 hex digits>} of a SHA-256 over the subject (host, type,
 * instance), so the same subject always gives the same alarm key (DESIGN.md section 4), across restarts and
 * instances. They then run through the same lifecycle as every producer's raw alarms.
 */
public final class RaisedAlarms {

    /** The source of the alarms the rules service raises. */
    public static final String SOURCE = "tocsin";

    private RaisedAlarms() {
    }

    /** The stable alarm id of {@code type} about {@code subject} and {@code instance} ({@link AlarmKeys#stableId}). */
    public static String alarmId(String type, String subject, String instance) {
        return AlarmKeys.stableId(type, subject, instance);
    }

    /** The raise or clear of a metric rule's alarm that {@code transition} calls for, from the sample that caused it. */
    public static RawAlarm ofTransition(Rule rule, HostMetric sample, Transition transition) {
        RawAlarm.Builder alarm = RawAlarm.newBuilder()
                .setSource(SOURCE)
                .setAlarmId(alarmId(rule.type(), sample.getHost(), sample.getInstance()))
                .setType(rule.type())
                .setCluster(sample.getCluster())
                .setHostname(sample.getHost())
                .setTimestamp(Instant.ofEpochMilli(transition.at()));
        if (transition.kind() == Transition.Kind.CLEAR) {
            return alarm.setState(RawAlarmState.CLEARED).build();
        }
        Map<String, String> values = Map.of(
                "host", sample.getHost(),
                "cluster", sample.getCluster(),
                "instance", sample.getInstance(),
                "value", number(transition.value()),
                "threshold", transition.condition() == null ? "" : transition.condition().thresholdText());
        Map<String, String> labels = new LinkedHashMap<>(sample.getLabels());
        labels.put("metric", sample.getMetric());
        labels.put("value", number(transition.value()));
        if (!sample.getInstance().isEmpty()) {
            labels.put("instance", sample.getInstance());
        }
        return alarm.setState(RawAlarmState.RAISED)
                .setSeverity(transition.severity())
                .setComponent(rule.component())
                .setTitle(render(rule.title(), values, rule.type() + " on " + sample.getHost()))
                .setMessage(render(rule.message(), values, ""))
                .setRecommendation(render(rule.recommendation(), values, ""))
                .setLabels(labels)
                .build();
    }

    /**
     * A raise or clear of an event rule's alarm about {@code subject} (a host, a source) that the rules service
     * decides itself, at wall-clock time {@code at}; severity, component and categories come from the rule. The
     * {@code {host}} placeholder of its templates shows the subject.
     */
    public static RawAlarm ofSubject(Rule rule, String subject, String hostname, String cluster, boolean raised, Instant at) {
        Map<String, String> values = Map.of("host", subject, "cluster", cluster == null ? "" : cluster);
        RawAlarm.Builder alarm = RawAlarm.newBuilder()
                .setSource(SOURCE)
                .setAlarmId(alarmId(rule.type(), subject, ""))
                .setType(rule.type())
                .setCluster(cluster == null ? "" : cluster)
                .setHostname(hostname)
                .setTimestamp(at)
                .setState(raised ? RawAlarmState.RAISED : RawAlarmState.CLEARED);
        if (raised) {
            alarm.setTitle(render(rule.title(), values, rule.type() + ": " + subject))
                    .setMessage(render(rule.message(), values, ""))
                    .setRecommendation(render(rule.recommendation(), values, ""));
        }
        return alarm.build();
    }

    private static String render(MessageTemplate template, Map<String, String> values, String fallback) {
        return template == null ? fallback : template.render(values);
    }

    /** A value as titles show it: at most two decimals, no trailing zeros ({@code 95}, {@code 93.5}, {@code 0.07}). */
    public static String number(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
