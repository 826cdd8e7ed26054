package io.tocsin.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One phase of a run (the warm-up or the measurement): its alarm ids, what the senders did, and what each
 * receiver path got. Receivers record into the phase current at the time a delivery arrives.
 */
final class Phase {

    private final String name;
    private final AlarmLedger ledger;
    private final IngestStats ingest = new IngestStats();
    private final Map<String, DeliveryStats> paths = new LinkedHashMap<>();

    Phase(String name, int firstAlarmId, int alarms, List<String> receiverPaths) {
        this.name = name;
        this.ledger = new AlarmLedger(firstAlarmId, alarms);
        receiverPaths.forEach(path -> paths.put(path, new DeliveryStats(path, ledger)));
    }

    String name() {
        return name;
    }

    AlarmLedger ledger() {
        return ledger;
    }

    IngestStats ingest() {
        return ingest;
    }

    /** The stats of {@code path}, or null when the phase has no such receiver path. */
    DeliveryStats path(String path) {
        return paths.get(path);
    }

    Collection<DeliveryStats> paths() {
        return paths.values();
    }

    /** Whether every receiver path got every delivery Tocsin owes it so far. */
    boolean allDelivered() {
        long owed = ingest.owedDeliveries();
        return paths.values().stream().allMatch(p -> p.distinct() >= owed);
    }
}
