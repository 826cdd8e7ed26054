package io.tocsin.rules.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.tocsin.schema.AlarmState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An open alarm as the unified view shows it (from {@code alarm-lifecycle-store}). Times are ISO-8601 instants.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "Alarm", description = "An open alarm")
public record AlarmView(@Schema(description = "The alarm key, source:alarmId") String key,
                        @Schema(description = "The producer of the alarm") String source,
                        @Schema(description = "The producer's id of the alarm") String alarmId,
                        @Schema(allowableValues = {"WARNING", "CRITICAL"}) String severity,
                        @Schema(description = "Alarm type, e.g. HostCpuUsage") String type,
                        @Schema(description = "Area (ClusterControl's component), e.g. Host") String component,
                        @Schema(description = "Event categories, e.g. Host, Database Health") List<String> categories,
                        String cluster,
                        String hostname,
                        String title,
                        String message,
                        String recommendation,
                        Map<String, String> labels,
                        @Schema(format = "date-time", description = "When this occurrence opened (first seen)") String openedAt,
                        @Schema(format = "date-time", description = "When its state last changed") String updatedAt,
                        @Nullable @Schema(format = "date-time", description = "When the source last raised it; null for alarms stored before schema v2") String lastSeen,
                        @Schema(description = "How many times the source raised this occurrence") long repeatCount,
                        @Schema(description = "Sequence number of its last event") long sequence,
                        @Schema(description = "True while a silence holds back its notifications") boolean silenced,
                        @Nullable @Schema(description = "Id of the silence that matched") String silencedBy) {

    public static AlarmView of(AlarmState state) {
        return new AlarmView(state.getAlarmKey(), state.getSource(), state.getAlarmId(), state.getSeverity().name(), state.getType(),
                state.getComponent(), List.copyOf(state.getCategories()), state.getCluster(), state.getHostname(), state.getTitle(),
                state.getMessage(), state.getRecommendation(), new TreeMap<>(state.getLabels()), iso(state.getOpenedAt()),
                iso(state.getUpdatedAt()), iso(state.getLastSeen()), state.getRepeatCount(), state.getSequence(), state.getSilenced(),
                state.getSilencedBy());
    }

    static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
