package io.tocsin.bench.rules;

import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The alarm events the rules service owes for one phase's {@link Workload}, and what it delivered: each owed
 * event's send time (of the sample or raw alarm that causes it), which ones appeared on
 * {@code tocsin.alarm-events}, duplicates, events nobody owed, and the latency (appearance − send time).
 *
 * <p>Matching. A raw alarm's events are found by source and alarm id: a second CREATED (or ENDED) of the same
 * alarm is a duplicate. A metric alarm's events are found by host and type (the workload crosses one series per
 * host and type), and a series' owed events alternate CREATED, ENDED, CREATED, ...: an event of the expected
 * status matches the next owed one; a repeat of the status just matched is a duplicate (the rules service opened
 * or ended the alarm twice); anything else (an ENDED before any CREATED, a CREATED beyond the owed crossings, any
 * UPDATED — the workload jumps straight past the critical level and back) is <em>unexpected</em>. Alarm events
 * of one alarm key are ordered on their partition, so the alternation is what a correct rules service produces.
 *
 * <p>Threads: the sender records send times ({@link #sent}); one watcher thread calls {@link #received}; any
 * thread reads the counters and the histogram. A send time is always visible before its event arrives in
 * practice (the event is caused by a record sent after the store); if it is not, the event counts but gives no
 * latency.
 */
final class OwedEvents {

    private static final long ORIGIN = System.nanoTime() - 1;

    private final Workload workload;
    private final AtomicLongArray sentAt;
    /** Per crossing series: ordinal of the next owed event (watcher thread only). */
    private final int[] nextOfSeries;
    /** Per raw alarm: bit 1 = CREATED seen, bit 2 = ENDED seen (watcher thread only). */
    private final byte[] rawSeen;
    private final LongAdder matched = new LongAdder();
    private final LongAdder duplicated = new LongAdder();
    private final LongAdder unexpected = new LongAdder();
    private final Histogram latencyMicros = new ConcurrentHistogram(3);

    OwedEvents(Workload workload) {
        this.workload = workload;
        this.sentAt = new AtomicLongArray(workload.owedEvents());
        this.nextOfSeries = new int[workload.crossingSeries()];
        this.rawSeen = new byte[workload.rawAlarms()];
    }

    /** Monotonic nanoseconds since the bench started; always at least 1, so 0 can mean "not sent". */
    static long now() {
        return System.nanoTime() - ORIGIN;
    }

    Workload workload() {
        return workload;
    }

    /** Records when the record causing owed event {@code slot} was sent (or, with a rate, was due). */
    void sent(int slot, long at) {
        sentAt.set(slot, at);
    }

    /**
     * Accounts for one event of this phase that appeared at {@code receipt} ({@link #now()}); returns false when
     * the event is not about this phase's hosts or raw alarms (the caller counts it elsewhere).
     */
    boolean received(AlarmEvent event, long receipt) {
        if (event.getSource().equals(workload.tag()) && Workload.RAW_ALARM_TYPE.equals(event.getType())) {
            int alarm = rawAlarm(event.getAlarmId());
            if (alarm < 0) {
                return false;
            }
            receivedRaw(alarm, event.getStatus(), receipt);
            return true;
        }
        int crossing = Workload.crossingIndex(event.getType());
        int host = workload.hostIndex(event.getHostname());
        if (crossing < 0 || host < 0) {
            return false;
        }
        receivedMetric(workload.seriesOf(host, crossing), event.getStatus(), receipt);
        return true;
    }

    private int rawAlarm(String alarmId) {
        try {
            int n = Integer.parseInt(alarmId);
            return n >= 0 && n < workload.rawAlarms() ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void receivedRaw(int alarm, AlarmEventStatus status, long receipt) {
        if (status == AlarmEventStatus.UPDATED) {
            unexpected.increment();
            return;
        }
        int bit = status == AlarmEventStatus.CREATED ? 1 : 2;
        if ((rawSeen[alarm] & bit) != 0) {
            duplicated.increment();
        } else {
            rawSeen[alarm] |= (byte) bit;
            match(workload.rawSlot(alarm, status == AlarmEventStatus.ENDED), receipt);
        }
    }

    private void receivedMetric(int series, AlarmEventStatus status, long receipt) {
        int next = nextOfSeries[series];
        boolean nextIsCreated = next % 2 == 0;
        boolean created = status == AlarmEventStatus.CREATED;
        if (status == AlarmEventStatus.UPDATED) {
            unexpected.increment();
        } else if (created == nextIsCreated && next < workload.seriesEvents(series)) {
            nextOfSeries[series] = next + 1;
            match(workload.seriesBase(series) + next, receipt);
        } else if (created != nextIsCreated && next > 0) {
            duplicated.increment();
        } else {
            unexpected.increment();
        }
    }

    private void match(int slot, long receipt) {
        matched.increment();
        long sent = sentAt.get(slot);
        if (sent > 0) {
            latencyMicros.recordValue(Math.max(0, receipt - sent) / 1_000);
        }
    }

    int owed() {
        return workload.owedEvents();
    }

    /** Owed events that appeared (each counted once). */
    long matched() {
        return matched.sum();
    }

    /** Owed events that have not appeared (yet). */
    long lost() {
        return owed() - matched();
    }

    long duplicated() {
        return duplicated.sum();
    }

    long unexpected() {
        return unexpected.sum();
    }

    boolean complete() {
        return matched() >= owed();
    }

    Histogram latencyMicros() {
        return latencyMicros;
    }
}
