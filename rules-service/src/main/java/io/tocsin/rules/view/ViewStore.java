package io.tocsin.rules.view;

import io.tocsin.rules.topology.AlarmLifecycleTopology;
import io.tocsin.schema.AlarmState;
import io.tocsin.schema.HostStatus;
import io.tocsin.schema.SourceStatus;
import io.tocsin.schema.wire.Codecs;
import io.tocsin.schema.wire.WireFormat;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A key-value state store the unified view reads, with the wire format its values travel in between instances:
 * Avro single-object encoding, the same bytes as on Kafka, so two instances of different versions during a rolling
 * upgrade still read each other's records (the fingerprint names the writer's schema).
 *
 * @param name   the store's name in the topology
 * @param format how a value is encoded for another instance
 * @param <V>    the store's value type (keys are strings)
 */
public record ViewStore<V extends SpecificRecordBase>(String name, WireFormat<V> format) {

    /** Open alarms by alarm key. */
    public static final ViewStore<AlarmState> ALARMS = new ViewStore<>(AlarmLifecycleTopology.LIFECYCLE_STORE, Codecs.ALARM_STATE);
    /** What the metric samples say of each host, by host. */
    public static final ViewStore<HostStatus> HOSTS = new ViewStore<>(AlarmLifecycleTopology.HOST_STATUS_STORE, Codecs.HOST_STATUS);
    /** Each raw-alarm producer's activity, by source. */
    public static final ViewStore<SourceStatus> SOURCES = new ViewStore<>(AlarmLifecycleTopology.SOURCE_STATUS_STORE, Codecs.SOURCE_STATUS);

    private static final List<ViewStore<?>> ALL = List.of(ALARMS, HOSTS, SOURCES);

    /** The view store called {@code name}, if the view reads one by that name. */
    public static Optional<ViewStore<?>> named(String name) {
        return ALL.stream().filter(store -> store.name.equals(name)).findFirst();
    }
}
