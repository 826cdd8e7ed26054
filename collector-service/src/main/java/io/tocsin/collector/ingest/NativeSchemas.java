package io.tocsin.collector.ingest;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/**
 * The native JSON bodies as the OpenAPI document shows them. The wire types are the Avro records {@code RawAlarm}
 * and {@code HostMetric} (read by {@code JsonRecordReader}); these records only describe them, and
 * {@code NativeSchemasTest} fails when a field is added to the Avro schema but not here.
 */
public final class NativeSchemas {

    private NativeSchemas() {
    }

    @Introspected
    @Schema(name = "RawAlarm", description = "An alarm as its producer reports it (DESIGN.md section 4). Unknown fields are refused.")
    public record RawAlarmJson(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The producer: letters, digits and . _ - / @; no colon", example = "cc-1") String source,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The producer's id for the alarm; source:alarmId is the alarm key", example = "470") String alarmId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"RAISED", "CLEARED"}) String state,
            @Nullable @Schema(description = "Alarm type; required when RAISED", example = "MySqlDisconnected") String type,
            @Nullable @Schema(nullable = true, allowableValues = {"WARNING", "CRITICAL"}, description = "When absent the rules decide it from the type") String severity,
            @Nullable @Schema(nullable = true, description = "Area (Node, Host, Network, Cluster, Backup, ...); the rules fill it in when absent") String component,
            @Nullable @Schema(description = "Cluster, used by integrations' cluster filters", example = "prod-galera") String cluster,
            @Nullable @Schema(example = "192.168.20.62") String hostname,
            @Nullable @Schema(description = "One-line summary; required when RAISED", example = "Server disconnected") String title,
            @Nullable String message,
            @Nullable String recommendation,
            @Nullable @Schema(nullable = true, format = "date-time", description = "ISO-8601 instant or epoch milliseconds; the record time when absent") String timestamp,
            @Nullable @Schema(description = "Free-form labels") Map<String, String> labels) {
    }

    @Introspected
    @Schema(name = "HostMetric", description = "One metric sample of a host (DESIGN.md section 4; metric names and units in docs/SCHEMAS.md). Unknown fields are refused.")
    public record HostMetricJson(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "db1") String host,
            @Nullable @Schema(example = "prod-galera") String cluster,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "host.cpu.usage") String metric,
            @Nullable @Schema(description = "Mount point, process name, probe target, ...; empty when the metric has one per host") String instance,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Value in the metric's unit", example = "93.5") double value,
            @Nullable @Schema(nullable = true, format = "date-time", description = "ISO-8601 instant or epoch milliseconds; the record time when absent") String timestamp,
            @Nullable @Schema(description = "Free-form labels") Map<String, String> labels) {
    }

    /** A batch of alarms, for the OpenAPI document (a JSON array of {@link RawAlarmJson}). */
    public static final class RawAlarmBatch extends java.util.ArrayList<RawAlarmJson> {
    }

    /** A batch of samples, for the OpenAPI document (a JSON array of {@link HostMetricJson}). */
    public static final class HostMetricBatch extends java.util.ArrayList<HostMetricJson> {
    }
}
