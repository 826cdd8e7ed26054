package io.tocsin.rules.topology;

import io.tocsin.rules.catalogue.AlarmCatalogue;
import io.tocsin.rules.catalogue.AlarmType;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.AlarmState;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.Severity;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The alarm lifecycle of DESIGN.md section 4, per alarm key, over the {@code alarm-lifecycle-store}:
 * <ul>
 *   <li>RAISED, not open: CREATED (the alarm opens; severity and component from the source or the catalogue);</li>
 *   <li>RAISED, open, same content: nothing (a duplicate);</li>
 *   <li>RAISED, open, other severity or content: UPDATED;</li>
 *   <li>CLEARED, open: ENDED, carrying the open alarm's content (as ClusterControl's ENDED repeats CREATED);</li>
 *   <li>CLEARED, not open: nothing.</li>
 * </ul>
 * Times are the producer's {@code timestamp} when given, else the record timestamp, so reprocessing under
 * exactly-once gives the same events with the same ids.
 */
final class AlarmLifecycleProcessor implements FixedKeyProcessor<String, RawAlarm, AlarmEvent> {

    private final String storeName;
    private final AlarmCatalogue catalogue;
    private FixedKeyProcessorContext<String, AlarmEvent> context;
    private KeyValueStore<String, AlarmState> store;

    AlarmLifecycleProcessor(String storeName, AlarmCatalogue catalogue) {
        this.storeName = storeName;
        this.catalogue = catalogue;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, AlarmEvent> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<String, RawAlarm> record) {
        RawAlarm raw = record.value();
        Instant at = raw.getTimestamp() != null ? raw.getTimestamp() : Instant.ofEpochMilli(record.timestamp());
        AlarmState open = store.get(record.key());
        if (raw.getState() == RawAlarmState.CLEARED) {
            if (open != null) {
                store.delete(record.key());
                emit(record, AlarmState.newBuilder(open).setUpdatedAt(at).setSequence(open.getSequence() + 1).build(), AlarmEventStatus.ENDED, at);
            }
            return;
        }
        AlarmState next = classify(record.key(), raw, open, at);
        if (open == null) {
            store.put(record.key(), next);
            emit(record, next, AlarmEventStatus.CREATED, at);
        } else if (!sameContent(open, next)) {
            store.put(record.key(), next);
            emit(record, next, AlarmEventStatus.UPDATED, at);
        }
    }

    private AlarmState classify(String key, RawAlarm raw, AlarmState open, Instant at) {
        AlarmType type = catalogue.lookup(raw.getType(), raw.getComponent());
        Severity severity = raw.getSeverity() != null ? raw.getSeverity() : type.defaultSeverity();
        String component = raw.getComponent() != null && !raw.getComponent().isBlank() ? raw.getComponent() : type.component();
        return AlarmState.newBuilder()
                .setAlarmKey(key)
                .setSource(raw.getSource())
                .setAlarmId(raw.getAlarmId())
                .setSeverity(severity)
                .setType(raw.getType())
                .setComponent(component)
                .setCategories(type.categories())
                .setCluster(raw.getCluster())
                .setHostname(raw.getHostname())
                .setTitle(raw.getTitle())
                .setMessage(raw.getMessage())
                .setRecommendation(raw.getRecommendation())
                .setLabels(raw.getLabels())
                .setOpenedAt(open == null ? at : open.getOpenedAt())
                .setUpdatedAt(at)
                .setSequence(open == null ? 1 : open.getSequence() + 1)
                .build();
    }

    private static boolean sameContent(AlarmState a, AlarmState b) {
        return a.getSeverity() == b.getSeverity()
                && Objects.equals(a.getType(), b.getType())
                && Objects.equals(a.getComponent(), b.getComponent())
                && Objects.equals(a.getCluster(), b.getCluster())
                && Objects.equals(a.getHostname(), b.getHostname())
                && Objects.equals(a.getTitle(), b.getTitle())
                && Objects.equals(a.getMessage(), b.getMessage())
                && Objects.equals(a.getRecommendation(), b.getRecommendation())
                && Objects.equals(a.getLabels(), b.getLabels());
    }

    private void emit(FixedKeyRecord<String, RawAlarm> record, AlarmState state, AlarmEventStatus status, Instant at) {
        AlarmEvent event = AlarmEvent.newBuilder()
                .setEventId(state.getAlarmKey() + "/" + state.getOpenedAt().toEpochMilli() + "/" + state.getSequence())
                .setAlarmKey(state.getAlarmKey())
                .setSource(state.getSource())
                .setAlarmId(state.getAlarmId())
                .setStatus(status)
                .setSeverity(state.getSeverity())
                .setType(state.getType())
                .setComponent(state.getComponent())
                .setCategories(state.getCategories())
                .setCluster(state.getCluster())
                .setHostname(state.getHostname())
                .setTitle(state.getTitle())
                .setMessage(state.getMessage())
                .setRecommendation(state.getRecommendation())
                .setLabels(state.getLabels())
                .setOpenedAt(state.getOpenedAt())
                .setEventTime(at)
                .setSequence(state.getSequence())
                .build();
        context.forward(record.withValue(event));
    }
}
