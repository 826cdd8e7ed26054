package io.tocsin.bench;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The deliveries one receiver path got during one phase: receipts counted per (alarm, status), so a second
 * receipt of the same pair is a duplicate; end-to-end latency (receipt − the alarm's reference time in the
 * {@link AlarmLedger}) in microseconds; and how many requests the path refused while it was failing.
 *
 * <p>Thread-safe: receivers record concurrently. Each duplicate is classified by its {@code webhook-id} header:
 * the same id as the first receipt means Tocsin re-sent the same event (a retry after an answer it did not get;
 * a receiver can drop it by that id), a different id means Tocsin produced the event twice.
 */
final class DeliveryStats {

    private final String path;
    private final AlarmLedger ledger;
    private final AtomicIntegerArray created;
    private final AtomicIntegerArray ended;
    private final AtomicReferenceArray<String> createdWebhookIds;
    private final AtomicReferenceArray<String> endedWebhookIds;
    private final Histogram latencyMicros = new ConcurrentHistogram(3);
    private final LongAdder distinct = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder duplicatesSameWebhookId = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final AtomicLong lastReceipt = new AtomicLong();

    DeliveryStats(String path, AlarmLedger ledger) {
        this.path = path;
        this.ledger = ledger;
        this.created = new AtomicIntegerArray(ledger.count());
        this.ended = new AtomicIntegerArray(ledger.count());
        this.createdWebhookIds = new AtomicReferenceArray<>(ledger.count());
        this.endedWebhookIds = new AtomicReferenceArray<>(ledger.count());
    }

    String path() {
        return path;
    }

    /**
     * Records a delivery the receiver accepted (answered 2xx).
     *
     * @param alarmId   the webhook's {@code id}, inside the ledger's range
     * @param webhookId the {@code webhook-id} header, or null when absent
     * @param receipt   {@link AlarmLedger#now()} when the request arrived
     */
    void delivered(int alarmId, DeliveryStatus status, String webhookId, long receipt) {
        int slot = alarmId - ledger.first();
        AtomicIntegerArray receipts = status == DeliveryStatus.CREATED ? created : ended;
        AtomicReferenceArray<String> ids = status == DeliveryStatus.CREATED ? createdWebhookIds : endedWebhookIds;
        lastReceipt.accumulateAndGet(receipt, Math::max);
        if (webhookId != null) {
            // Before the count: a duplicate racing the first receipt then still finds an id to compare with.
            ids.compareAndSet(slot, null, webhookId);
        }
        if (receipts.getAndIncrement(slot) == 0) {
            distinct.increment();
            long reference = ledger.reference(alarmId, status);
            if (reference > 0) {
                latencyMicros.recordValue(Math.max(0, receipt - reference) / 1_000);
            }
        } else {
            duplicates.increment();
            if (webhookId != null && Objects.equals(ids.get(slot), webhookId)) {
                duplicatesSameWebhookId.increment();
            }
        }
    }

    /** Counts a request the failing path answered with its error status. */
    void refused() {
        refused.increment();
    }

    long distinct() {
        return distinct.sum();
    }

    long duplicates() {
        return duplicates.sum();
    }

    long duplicatesSameWebhookId() {
        return duplicatesSameWebhookId.sum();
    }

    long refusedCount() {
        return refused.sum();
    }

    /** {@link AlarmLedger#now()} of the last accepted delivery; 0 when none arrived. */
    long lastReceipt() {
        return lastReceipt.get();
    }

    Histogram latencyMicros() {
        return latencyMicros;
    }

    /** Deliveries Tocsin owed (its request was accepted) that never arrived. */
    long lost() {
        long lost = 0;
        for (int i = 0; i < ledger.count(); i++) {
            int alarmId = ledger.first() + i;
            lost += missing(alarmId, DeliveryStatus.CREATED, created.get(i)) + missing(alarmId, DeliveryStatus.ENDED, ended.get(i));
        }
        return lost;
    }

    /** Deliveries that arrived for requests Tocsin did not accept (e.g. a POST that timed out after Kafka had it). */
    long unexpected() {
        long unexpected = 0;
        for (int i = 0; i < ledger.count(); i++) {
            int alarmId = ledger.first() + i;
            unexpected += (created.get(i) > 0 && !ledger.expects(alarmId, DeliveryStatus.CREATED) ? 1 : 0)
                    + (ended.get(i) > 0 && !ledger.expects(alarmId, DeliveryStatus.ENDED) ? 1 : 0);
        }
        return unexpected;
    }

    private int missing(int alarmId, DeliveryStatus status, int receipts) {
        return receipts == 0 && ledger.expects(alarmId, status) ? 1 : 0;
    }
}
