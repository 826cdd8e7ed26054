package io.tocsin.bench;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the senders did with each alarm of one phase: the reference time its latency is measured from (per
 * status) and whether Tocsin accepted its raise and its clear. Alarm {@code n} of the run has alarm id
 * {@code "n"}; a phase covers ids {@code first} to {@code first + count - 1}.
 *
 * <p>Times are {@link #now()}: monotonic nanoseconds since the bench started, always positive, so that 0 can
 * mean "not sent". Writers (senders) and readers (receivers) meet through the atomic arrays: a receiver sees a
 * reference time because Tocsin can only deliver an alarm after the POST that carried it started.
 */
final class AlarmLedger {

    private static final long ORIGIN = System.nanoTime() - 1;
    private static final int RAISE_ACCEPTED = 1;
    private static final int CLEAR_ACCEPTED = 2;

    private final int first;
    private final int count;
    private final AtomicLongArray raiseReference;
    private final AtomicLongArray clearReference;
    private final AtomicIntegerArray accepted;

    AlarmLedger(int first, int count) {
        this.first = first;
        this.count = count;
        this.raiseReference = new AtomicLongArray(count);
        this.clearReference = new AtomicLongArray(count);
        this.accepted = new AtomicIntegerArray(count);
    }

    /** Monotonic nanoseconds since the bench's start; always at least 1. */
    static long now() {
        return System.nanoTime() - ORIGIN;
    }

    int first() {
        return first;
    }

    int count() {
        return count;
    }

    boolean contains(long alarmId) {
        return alarmId >= first && alarmId < (long) first + count;
    }

    void raiseSent(int alarmId, long reference) {
        raiseReference.set(alarmId - first, reference);
    }

    void clearSent(int alarmId, long reference) {
        clearReference.set(alarmId - first, reference);
    }

    void raiseAccepted(int alarmId) {
        accepted.accumulateAndGet(alarmId - first, RAISE_ACCEPTED, (a, b) -> a | b);
    }

    void clearAccepted(int alarmId) {
        accepted.accumulateAndGet(alarmId - first, CLEAR_ACCEPTED, (a, b) -> a | b);
    }

    /** The time a delivery of {@code status} for this alarm is measured from; 0 when it was never sent. */
    long reference(int alarmId, DeliveryStatus status) {
        return status == DeliveryStatus.CREATED ? raiseReference.get(alarmId - first) : clearReference.get(alarmId - first);
    }

    /** Whether Tocsin accepted the request that should yield a delivery of {@code status} for this alarm. */
    boolean expects(int alarmId, DeliveryStatus status) {
        int bit = status == DeliveryStatus.CREATED ? RAISE_ACCEPTED : CLEAR_ACCEPTED;
        return (accepted.get(alarmId - first) & bit) != 0;
    }

    /** How many deliveries of {@code status} Tocsin owes: alarms whose raise (or clear) it accepted. */
    long expected(DeliveryStatus status) {
        long n = 0;
        for (int i = 0; i < count; i++) {
            if (expects(first + i, status)) {
                n++;
            }
        }
        return n;
    }
}
