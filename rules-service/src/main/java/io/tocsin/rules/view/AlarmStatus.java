package io.tocsin.rules.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.tocsin.schema.AlarmState;
import io.tocsin.schema.Severity;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of the open alarms, as cmon-proxy's {@code /proxy/alarms/status} gives them per controller (seed 002):
 * overall, per source and per cluster. Alarms without a cluster count under {@value #NO_CLUSTER} in
 * {@code byCluster}, so every breakdown adds up to the overall total.
 *
 * @param overall   every matching open alarm
 * @param bySource  the same counts per source
 * @param byCluster the same counts per cluster
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "AlarmStatus", description = "Open alarm counts by severity, type and category: overall, per source, per cluster")
public record AlarmStatus(AlarmCounts overall, Map<String, AlarmCounts> bySource,
                          @Schema(description = "Alarms without a cluster count under \"(none)\"") Map<String, AlarmCounts> byCluster) {

    public static final String NO_CLUSTER = "(none)";

    /**
     * Counts of one set of alarms. An alarm with several categories counts once in each.
     *
     * @param total    how many alarms
     * @param severity per severity, both always present
     * @param type     per alarm type
     * @param category per event category
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "AlarmCounts")
    public record AlarmCounts(long total, Map<String, Long> severity, Map<String, Long> type, Map<String, Long> category) {
    }

    /** The status of {@code alarms}. */
    public static AlarmStatus of(Collection<AlarmState> alarms) {
        Counter overall = new Counter();
        Map<String, Counter> bySource = new TreeMap<>();
        Map<String, Counter> byCluster = new TreeMap<>();
        for (AlarmState alarm : alarms) {
            overall.add(alarm);
            bySource.computeIfAbsent(alarm.getSource(), source -> new Counter()).add(alarm);
            String cluster = alarm.getCluster() == null || alarm.getCluster().isEmpty() ? NO_CLUSTER : alarm.getCluster();
            byCluster.computeIfAbsent(cluster, c -> new Counter()).add(alarm);
        }
        Map<String, AlarmCounts> sources = new TreeMap<>();
        bySource.forEach((source, counter) -> sources.put(source, counter.counts()));
        Map<String, AlarmCounts> clusters = new TreeMap<>();
        byCluster.forEach((cluster, counter) -> clusters.put(cluster, counter.counts()));
        return new AlarmStatus(overall.counts(), sources, clusters);
    }

    private static final class Counter {
        private long total;
        private final Map<String, Long> severity = new TreeMap<>();
        private final Map<String, Long> type = new TreeMap<>();
        private final Map<String, Long> category = new TreeMap<>();

        Counter() {
            // Both severities always appear, so a dashboard reads 0 rather than a missing key.
            for (Severity level : Severity.values()) {
                severity.put(level.name(), 0L);
            }
        }

        void add(AlarmState alarm) {
            total++;
            severity.merge(alarm.getSeverity().name(), 1L, Long::sum);
            type.merge(alarm.getType(), 1L, Long::sum);
            for (String name : alarm.getCategories()) {
                category.merge(name, 1L, Long::sum);
            }
        }

        AlarmCounts counts() {
            return new AlarmCounts(total, severity, type, category);
        }
    }
}
