package io.tocsin.rules.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tocsin.common.dlq.DeadLetterMeter;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.Severity;

/**
 * {@link RulesMetrics} in Micrometer (names as Prometheus shows them):
 * <ul>
 *   <li>{@value #EVENTS} ({@code tocsin_rules_alarm_events_total}): alarm events written to
 *       {@code tocsin.alarm-events}, tagged {@code status} ({@code CREATED}, {@code UPDATED}, {@code ENDED}),
 *       {@code severity} ({@code WARNING}, {@code CRITICAL}) and {@code silenced} ({@code true}: held back by a
 *       silence, not delivered). Twelve series at most, all registered at zero when the topology is built, so a
 *       dashboard shows a quiet pipeline as zero and {@code increase()} counts the first event. Alarm keys, hosts
 *       and types are left out on purpose: they are unbounded.</li>
 *   <li>{@value #LATE} ({@code tocsin_rules_samples_late_total}): metric samples dropped as late.</li>
 *   <li>{@code tocsin.dlq.records} ({@code tocsin_dlq_records_total}), through {@link DeadLetterMeter}: the
 *       topology's dead letters, under the same name and tags as the dispatcher's.</li>
 * </ul>
 * All counts are at-least-once (see {@link RulesMetrics}). Error contract: never throws once built.
 */
public final class MeterRulesMetrics implements RulesMetrics {

    public static final String EVENTS = "tocsin.rules.alarm.events";
    public static final String LATE = "tocsin.rules.samples.late";

    private final MeterRegistry meters;
    private final Counter late;
    // Every event passes here: an array lookup by the enums' ordinals, not a registry lookup (a map and a new
    // meter id) per event.
    private final Counter[][][] events = new Counter[AlarmEventStatus.values().length][Severity.values().length][2];

    public MeterRulesMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.late = Counter.builder(LATE).description("Metric samples dropped for arriving later than the grace period").register(meters);
        for (AlarmEventStatus status : AlarmEventStatus.values()) {
            for (Severity severity : Severity.values()) {
                for (boolean silenced : new boolean[] {false, true}) {
                    events[status.ordinal()][severity.ordinal()][silenced ? 1 : 0] = Counter.builder(EVENTS)
                            .description("Alarm events the rules topology wrote to tocsin.alarm-events, by status, severity and whether a silence held them back")
                            .tag("status", status.name())
                            .tag("severity", severity.name())
                            .tag("silenced", Boolean.toString(silenced))
                            .register(meters);
                }
            }
        }
    }

    @Override
    public void lateSample() {
        late.increment();
    }

    @Override
    public void alarmEvent(AlarmEvent event) {
        events[event.getStatus().ordinal()][event.getSeverity().ordinal()][event.getSilenced() ? 1 : 0].increment();
    }

    @Override
    public Runnable deadLetters(String sourceTopic, String stage) {
        Counter counter = DeadLetterMeter.counter(meters, sourceTopic, stage);
        return counter::increment;
    }
}
