package io.tocsin.common.dlq;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The one definition of the dead-letter counter, {@code tocsin.dlq.records} ({@code tocsin_dlq_records_total} in
 * Prometheus), shared by {@link DeadLetterWriter} (the dispatcher) and the rules service's Streams topology, so the
 * dashboard and the {@code TocsinDeadLettersGrowing} alert see every dead letter under one name and one tag set:
 * <ul>
 *   <li>{@code service}: who gave up on the record, the part of the stage before its first {@code /}
 *       ({@code rules}, {@code dispatcher});</li>
 *   <li>{@code stage}: the {@link DeadLetterHeaders#STAGE} header, {@code service/step} (e.g.
 *       {@code rules/raw-alarm-decoder}, {@code dispatcher/decode}, {@code dispatcher/<integration>});</li>
 *   <li>{@code topic}: the topic the record came from.</li>
 * </ul>
 * All three are bounded: stages are fixed in code or named after configured integrations, topics are Tocsin's own.
 * Error contract: none; a stage without {@code /} is its own service.
 */
public final class DeadLetterMeter {

    /** The Micrometer name. */
    public static final String NAME = "tocsin.dlq.records";

    private DeadLetterMeter() {
    }

    /**
     * The counter of the records {@code stage} dead-lettered from {@code sourceTopic}, registered in {@code meters}
     * if it was not (so calling this ahead of any dead letter shows the series at zero, and Prometheus's
     * {@code increase()} counts the first dead letter too).
     */
    public static Counter counter(MeterRegistry meters, String sourceTopic, String stage) {
        return Counter.builder(NAME)
                .description("Records written to the dead-letter topic, by the service and stage that gave up on them and their source topic")
                .tag("service", serviceOf(stage))
                .tag("stage", stage)
                .tag("topic", sourceTopic)
                .register(meters);
    }

    /** The service part of a stage name: {@code rules} of {@code rules/raw-alarm-decoder}. */
    public static String serviceOf(String stage) {
        int slash = stage.indexOf('/');
        return slash > 0 ? stage.substring(0, slash) : stage;
    }
}
