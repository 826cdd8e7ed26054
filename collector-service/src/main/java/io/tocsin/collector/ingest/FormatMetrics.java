package io.tocsin.collector.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import java.util.List;

/**
 * What one foreign ingest format (ClusterControl, Alertmanager) brought in, for a dashboard:
 * {@code tocsin.collector.ingest.alarms{format,state}} counts raw alarms Kafka acknowledged (raised or cleared),
 * {@code tocsin.collector.ingest.rejected{format}} counts requests answered 400. A sender whose alarms stop, or
 * whose requests start failing after an upgrade, shows on these two.
 */
public final class FormatMetrics {

    private final Counter raised;
    private final Counter cleared;
    private final Counter rejected;

    public FormatMetrics(MeterRegistry meters, String format) {
        this.raised = alarms(meters, format, "raised");
        this.cleared = alarms(meters, format, "cleared");
        this.rejected = Counter.builder("tocsin.collector.ingest.rejected").tag("format", format)
                .description("Ingest requests refused as invalid (400)").register(meters);
    }

    private static Counter alarms(MeterRegistry meters, String format, String state) {
        return Counter.builder("tocsin.collector.ingest.alarms").tag("format", format).tag("state", state)
                .description("Raw alarms taken in over HTTP and acknowledged by Kafka").register(meters);
    }

    /** Counts alarms Kafka has acknowledged. */
    public void accepted(List<RawAlarm> alarms) {
        long clears = alarms.stream().filter(a -> a.getState() == RawAlarmState.CLEARED).count();
        cleared.increment(clears);
        raised.increment(alarms.size() - clears);
    }

    /** Counts a request refused as invalid. */
    public void rejected() {
        rejected.increment();
    }
}
