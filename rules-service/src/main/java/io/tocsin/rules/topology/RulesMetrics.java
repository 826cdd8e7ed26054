package io.tocsin.rules.topology;

import io.micrometer.core.instrument.MeterRegistry;
import io.tocsin.schema.AlarmEvent;

/**
 * What the rules topology counts as it runs, handed to {@link AlarmLifecycleTopology#build} so the topology stays a
 * pure builder: the service passes {@link #of(MeterRegistry)}, a test that does not look at the counts passes
 * {@link #NONE}.
 *
 * <p><b>At-least-once counts.</b> The topology runs exactly-once, but these counts are taken as the processors
 * emit, before the transaction commits: when a transaction aborts (a crash, a rebalance that fences a zombie) its
 * records are processed again and counted again, although the topics hold their output once. This is how Kafka
 * Streams' own metrics ({@code kafka_stream_topic_records_produced_total}) count too; under normal operation the
 * counts are exact. Error contract: implementations never throw.
 */
public interface RulesMetrics {

    /** Counts nothing. */
    RulesMetrics NONE = new RulesMetrics() {
        @Override
        public void lateSample() {
        }

        @Override
        public void alarmEvent(AlarmEvent event) {
        }

        @Override
        public Runnable deadLetters(String sourceTopic, String stage) {
            return () -> { };
        }
    };

    /** Counts in {@code meters}; see {@link MeterRulesMetrics} for the meters. */
    static RulesMetrics of(MeterRegistry meters) {
        return new MeterRulesMetrics(meters);
    }

    /** A metric sample was dropped for arriving later than the grace period. */
    void lateSample();

    /** The alarm lifecycle emitted {@code event} to {@code tocsin.alarm-events}. */
    void alarmEvent(AlarmEvent event);

    /**
     * The count of records {@code stage} sends to the DLQ from {@code sourceTopic}: asked for once per decoder when
     * the topology is built (so the series exists, at zero, before the first dead letter), run once per dead letter.
     */
    Runnable deadLetters(String sourceTopic, String stage);
}
