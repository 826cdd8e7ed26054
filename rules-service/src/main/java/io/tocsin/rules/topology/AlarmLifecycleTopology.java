package io.tocsin.rules.topology;

import io.tocsin.rules.catalogue.AlarmCatalogue;
import io.tocsin.rules.definition.RuleSet;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.AlarmKeys;
import io.tocsin.schema.AlarmState;
import io.tocsin.schema.HostMetric;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.topics.TopicCatalogue;
import io.tocsin.schema.wire.AvroSerde;
import io.tocsin.schema.wire.Codecs;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The rules service's topology, built purely from the topic catalogue, the rules and the timing settings (no Kafka
 * connection, no lifecycle), so {@code TopologyTestDriver} tests exercise exactly what runs. Every processor, store
 * and internal topic has a fixed name so upgrades keep their state:
 *
 * <pre>
 * raw-metrics-source → metric-decoder ─┬─ dead ─────────────────────────────────────────────→ dlq-sink (tocsin.dlq)
 *                                      ├─ rekey → raw-metrics-by-host (repartition) ─┐
 *                                      └─ keyed ─────────────────────────────────────┴→ metric-evaluator
 *                                                       [metric-series-store, host-status-store] ─┐ raised/cleared
 * raw-alarms-source → raw-alarm-decoder ─┬─ dead ──────────────────────────────→ dlq-sink          │ by alarm key
 *                                        ├─ by-source → raw-alarms-by-source (repartition) → source-tracker
 *                                        │                                    [source-status-store] ─┤
 *                                        ├─ rekey ───────────────────────────────────────────────────┴→ raw-alarms-by-key
 *                                        └─ keyed ─────────────────────────────────────────────────────────┐ (repartition)
 *                                   alarm-lifecycle [alarm-lifecycle-store; global silences-store] ←───────┘
 *                                        → alarm-events-sink (tocsin.alarm-events)
 *                                        → alarm-state → alarms-open-sink (tocsin.alarms.open, tombstone on ENDED)
 * </pre>
 * The global {@code silences-store} is fed by {@code tocsin.silences}. What it counts (events by status and
 * severity, dead letters, late samples) goes to the {@link RulesMetrics} it is built with.
 */
public final class AlarmLifecycleTopology {

    /** Open alarms by alarm key: {@code KeyValueStore<String, AlarmState>}. */
    public static final String LIFECYCLE_STORE = "alarm-lifecycle-store";
    /** What the metric samples say of each host, by host: {@code KeyValueStore<String, HostStatus>}. */
    public static final String HOST_STATUS_STORE = "host-status-store";
    /** Each raw-alarm producer's activity, by source: {@code KeyValueStore<String, SourceStatus>}. */
    public static final String SOURCE_STATUS_STORE = "source-status-store";
    /** Every silence, by id (a global store fed by tocsin.silences): {@code KeyValueStore<String, Silence>}. */
    public static final String SILENCES_STORE = "silences-store";
    /** Evaluation state per host, metric rule and instance ({@code SeriesState} bytes). */
    public static final String SERIES_STORE = "metric-series-store";
    public static final String REKEY_TOPIC = "raw-alarms-by-key";
    /** The DLQ stage of raw alarms that fail to decode. */
    public static final String RAW_ALARM_STAGE = "rules/raw-alarm-decoder";
    /** The DLQ stage of metric samples that fail to decode. */
    public static final String METRIC_STAGE = "rules/metric-decoder";
    public static final String METRICS_BY_HOST_TOPIC = "raw-metrics-by-host";
    public static final String BY_SOURCE_TOPIC = "raw-alarms-by-source";

    private AlarmLifecycleTopology() {
    }

    /**
     * @param counts  counts the events emitted, the dead letters and the late samples ({@link RulesMetrics#NONE}
     *                when nobody looks)
     */
    public static Topology build(TopicCatalogue topics, RuleSet rules, TopologySettings settings, RulesMetrics counts) {
        AlarmCatalogue catalogue = new AlarmCatalogue(rules);
        AvroSerde<RawAlarm> rawAlarmSerde = new AvroSerde<>(Codecs.RAW_ALARM);
        AvroSerde<HostMetric> metricSerde = new AvroSerde<>(Codecs.HOST_METRIC);
        StreamsBuilder builder = new StreamsBuilder();
        // Asked for here, once, so both dead-letter series exist (at zero) before the first dead letter.
        Runnable metricDeadLetters = counts.deadLetters(topics.rawMetrics().name(), METRIC_STAGE);
        Runnable alarmDeadLetters = counts.deadLetters(topics.rawAlarms().name(), RAW_ALARM_STAGE);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LIFECYCLE_STORE), Serdes.String(),
                new AvroSerde<>(Codecs.ALARM_STATE)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SERIES_STORE), Serdes.String(), Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HOST_STATUS_STORE), Serdes.String(),
                new AvroSerde<>(Codecs.HOST_STATUS)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SOURCE_STATUS_STORE), Serdes.String(),
                new AvroSerde<>(Codecs.SOURCE_STATUS)));
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SILENCES_STORE), Serdes.String(),
                        new AvroSerde<>(Codecs.SILENCE)).withLoggingDisabled(),
                topics.silences().name(), Consumed.with(Serdes.String(), new AvroSerde<>(Codecs.SILENCE)).withName("silences-source"),
                SilenceStoreUpdater::new);

        // Metric samples, partitioned by host.
        Map<String, KStream<String, DecodeResult<HostMetric>>> metrics = builder
                .stream(topics.rawMetrics().name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("raw-metrics-source"))
                .process(() -> new RecordDecoder<>(Codecs.HOST_METRIC, HostMetric::getHost, METRIC_STAGE, metricDeadLetters), Named.as("metric-decoder"))
                .split(Named.as("metrics-"))
                .branch((key, result) -> result.isDead(), Branched.as("dead"))
                .branch((key, result) -> result.rekeyed(), Branched.as("rekey"))
                .defaultBranch(Branched.as("keyed"));
        KStream<String, HostMetric> samples = metrics.get("metrics-keyed")
                .mapValues((DecodeResult<HostMetric> result) -> result.value(), Named.as("metrics-keyed-unwrap"))
                .merge(metrics.get("metrics-rekey")
                        .mapValues((DecodeResult<HostMetric> result) -> result.value(), Named.as("metrics-rekey-unwrap"))
                        .repartition(Repartitioned.with(Serdes.String(), metricSerde).withName(METRICS_BY_HOST_TOPIC)),
                        Named.as("metrics-by-host"));
        KStream<String, RawAlarm> metricAlarms = samples.process(
                () -> new MetricEvaluationProcessor(rules, settings, counts::lateSample), Named.as("metric-evaluator"), SERIES_STORE, HOST_STATUS_STORE);

        // Raw alarms, partitioned by alarm key.
        Map<String, KStream<String, DecodeResult<RawAlarm>>> decoded = builder
                .stream(topics.rawAlarms().name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("raw-alarms-source"))
                .process(() -> new RecordDecoder<>(Codecs.RAW_ALARM, AlarmKeys::of, RAW_ALARM_STAGE, alarmDeadLetters), Named.as("raw-alarm-decoder"))
                .split(Named.as("decoded-"))
                .branch((key, result) -> result.isDead(), Branched.as("dead"))
                .branch((key, result) -> result.rekeyed(), Branched.as("rekey"))
                .defaultBranch(Branched.as("keyed"));
        decoded.get("decoded-dead").merge(metrics.get("metrics-dead").mapValues(r -> DecodeResult.<RawAlarm>dead(r.originalKey(), r.originalValue()),
                        Named.as("metrics-dead-retype")), Named.as("dead-letters"))
                .map((key, result) -> KeyValue.pair(result.originalKey(), result.originalValue()), Named.as("dlq-unwrap"))
                .to(topics.dlq().name(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dlq-sink"));

        KStream<String, RawAlarm> producerAlarms = decoded.get("decoded-rekey")
                .mapValues((DecodeResult<RawAlarm> result) -> result.value(), Named.as("rekey-unwrap"))
                .merge(decoded.get("decoded-keyed").mapValues((DecodeResult<RawAlarm> result) -> result.value(), Named.as("keyed-unwrap")),
                        Named.as("producer-alarms"));
        KStream<String, RawAlarm> sourceAlarms = producerAlarms
                .selectKey((key, alarm) -> alarm.getSource(), Named.as("by-source"))
                .repartition(Repartitioned.with(Serdes.String(), rawAlarmSerde).withName(BY_SOURCE_TOPIC))
                .process(() -> new SourceTrackerProcessor(rules, settings), Named.as("source-tracker"), SOURCE_STATUS_STORE);

        // Alarms not yet partitioned by their key (re-keyed producer records, and those the rules service raises
        // itself) go through raw-alarms-by-key; the rest reach the lifecycle directly.
        KStream<String, RawAlarm> rekeyed = decoded.get("decoded-rekey")
                .mapValues((DecodeResult<RawAlarm> result) -> result.value(), Named.as("rekey-alarm-unwrap"))
                .merge(metricAlarms, Named.as("with-metric-alarms"))
                .merge(sourceAlarms, Named.as("with-source-alarms"))
                .repartition(Repartitioned.with(Serdes.String(), rawAlarmSerde).withName(REKEY_TOPIC));
        KStream<String, RawAlarm> alarms = decoded.get("decoded-keyed")
                .mapValues((DecodeResult<RawAlarm> result) -> result.value(), Named.as("keyed-alarm-unwrap"))
                .merge(rekeyed, Named.as("alarms-by-key"));

        KStream<String, AlarmEvent> events = alarms.process(
                () -> new AlarmLifecycleProcessor(catalogue, rules, settings, counts), Named.as("alarm-lifecycle"), LIFECYCLE_STORE);
        events.to(topics.alarmEvents().name(),
                Produced.with(Serdes.String(), topics.alarmEvents().valueSerde()).withName("alarm-events-sink"));
        events.mapValues((AlarmEvent event) -> openState(event), Named.as("alarm-state"))
                .to(topics.alarmsOpen().name(), Produced.with(Serdes.String(), topics.alarmsOpen().valueSerde()).withName("alarms-open-sink"));
        return builder.build();
    }

    /** The open state an event leaves behind; null (a tombstone) once the alarm ended. */
    static AlarmState openState(AlarmEvent event) {
        if (event.getStatus() == AlarmEventStatus.ENDED) {
            return null;
        }
        return AlarmState.newBuilder()
                .setAlarmKey(event.getAlarmKey())
                .setSource(event.getSource())
                .setAlarmId(event.getAlarmId())
                .setSeverity(event.getSeverity())
                .setType(event.getType())
                .setComponent(event.getComponent())
                .setCategories(event.getCategories())
                .setCluster(event.getCluster())
                .setHostname(event.getHostname())
                .setTitle(event.getTitle())
                .setMessage(event.getMessage())
                .setRecommendation(event.getRecommendation())
                .setLabels(event.getLabels())
                .setOpenedAt(event.getOpenedAt())
                .setUpdatedAt(event.getEventTime())
                .setSequence(event.getSequence())
                .setRepeatCount(event.getRepeatCount())
                .setLastSeen(event.getLastSeen())
                .setSilenced(event.getSilenced())
                .setSilencedBy(event.getSilencedBy())
                .build();
    }
}
