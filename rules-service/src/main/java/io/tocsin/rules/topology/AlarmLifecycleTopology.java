package io.tocsin.rules.topology;

import io.tocsin.rules.catalogue.AlarmCatalogue;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.AlarmState;
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
 * The rules service's topology, built purely from the topic catalogue (no Kafka connection, no lifecycle), so
 * {@code TopologyTestDriver} tests exercise exactly what runs. Every processor, store and internal topic has a
 * fixed name so upgrades keep their state:
 *
 * <pre>
 * raw-alarms-source → raw-alarm-decoder ─┬─ dead ──→ dlq-unwrap → dlq-sink (tocsin.dlq)
 *                                        ├─ rekey ─→ raw-alarms-by-key (repartition) ─┐
 *                                        └─ keyed ──────────────────────────────────┴→ alarm-lifecycle [alarm-lifecycle-store]
 *                                                  → alarm-events-sink (tocsin.alarm-events)
 *                                                  → alarm-state → alarms-open-sink (tocsin.alarms.open, tombstone on ENDED)
 * </pre>
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
    public static final String REKEY_TOPIC = "raw-alarms-by-key";

    private AlarmLifecycleTopology() {
    }

    public static Topology build(TopicCatalogue topics, AlarmCatalogue catalogue) {
        AvroSerde<RawAlarm> rawAlarmSerde = new AvroSerde<>(Codecs.RAW_ALARM);
        AvroSerde<AlarmState> stateSerde = new AvroSerde<>(Codecs.ALARM_STATE);
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LIFECYCLE_STORE), Serdes.String(), stateSerde));

        KStream<String, DecodeResult> decoded = builder
                .stream(topics.rawAlarms().name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("raw-alarms-source"))
                .process(() -> new RawAlarmDecoder(Codecs.RAW_ALARM), Named.as("raw-alarm-decoder"));

        Map<String, KStream<String, DecodeResult>> branches = decoded.split(Named.as("decoded-"))
                .branch((key, result) -> result.isDead(), Branched.as("dead"))
                .branch((key, result) -> result.rekeyed(), Branched.as("rekey"))
                .defaultBranch(Branched.as("keyed"));

        branches.get("decoded-dead")
                .map((key, result) -> KeyValue.pair(result.originalKey(), result.originalValue()), Named.as("dlq-unwrap"))
                .to(topics.dlq().name(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dlq-sink"));

        KStream<String, RawAlarm> rekeyed = branches.get("decoded-rekey")
                .mapValues((DecodeResult result) -> result.alarm(), Named.as("rekey-unwrap"))
                .repartition(Repartitioned.with(Serdes.String(), rawAlarmSerde).withName(REKEY_TOPIC));
        KStream<String, RawAlarm> alarms = branches.get("decoded-keyed")
                .mapValues((DecodeResult result) -> result.alarm(), Named.as("keyed-unwrap"))
                .merge(rekeyed, Named.as("alarms-by-key"));

        KStream<String, AlarmEvent> events = alarms.processValues(
                () -> new AlarmLifecycleProcessor(LIFECYCLE_STORE, catalogue), Named.as("alarm-lifecycle"), LIFECYCLE_STORE);
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
                .build();
    }
}
