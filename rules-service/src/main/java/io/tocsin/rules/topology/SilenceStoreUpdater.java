package io.tocsin.rules.topology;

import io.tocsin.schema.Silence;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps the global {@code silences-store} equal to the compacted {@code tocsin.silences} (a tombstone deletes). */
final class SilenceStoreUpdater implements Processor<String, Silence, Void, Void> {

    private KeyValueStore<String, Silence> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(AlarmLifecycleTopology.SILENCES_STORE);
    }

    @Override
    public void process(Record<String, Silence> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
