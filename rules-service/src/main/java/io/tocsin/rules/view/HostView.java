package io.tocsin.rules.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.tocsin.schema.HostStatus;
import java.util.Comparator;
import java.util.List;

/**
 * A host as the unified view shows it: what its metric samples say ({@code host-status-store}) and its open alarms
 * (those whose hostname is the host).
 *
 * @param host           the host name
 * @param cluster        the cluster of its newest sample
 * @param status         {@code offline} while a heartbeat-lost alarm is open for it, else {@code online}
 * @param lastSampleAt   event time of its newest sample
 * @param lastReceivedAt when its newest sample was processed (the heartbeat compares this with now)
 * @param latest         the newest value of each metric and instance, sorted by metric then instance
 * @param openAlarms     its open alarms by severity
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "Host", description = "A host reporting metric samples, with its latest values and open alarms")
public record HostView(String host, String cluster,
                       @Schema(allowableValues = {"online", "offline"}) String status,
                       @Schema(format = "date-time") String lastSampleAt,
                       @Schema(format = "date-time") String lastReceivedAt,
                       List<MetricView> latest,
                       SeverityCounts openAlarms) {

    /** The newest value of one metric (and instance) of a host. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "MetricValue")
    public record MetricView(@Schema(description = "e.g. host.cpu.usage") String metric,
                             @Schema(description = "mount point, process, probe target; empty when the metric has one per host") String instance,
                             double value,
                             @Schema(format = "date-time", description = "event time of the sample") String at) {
    }

    public static HostView of(HostStatus status, SeverityCounts openAlarms) {
        List<MetricView> latest = status.getLatest().stream()
                .map(value -> new MetricView(value.getMetric(), value.getInstance(), value.getValue(), value.getAt().toString()))
                .sorted(Comparator.comparing(MetricView::metric).thenComparing(MetricView::instance))
                .toList();
        return new HostView(status.getHost(), status.getCluster(), status.getOnline() ? "online" : "offline",
                status.getLastSampleAt().toString(), status.getLastReceivedAt().toString(), latest, openAlarms);
    }
}
