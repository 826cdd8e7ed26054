package io.tocsin.rules.evaluation;

import io.tocsin.schema.Severity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The evaluation state of one series: one metric rule applied to one (host, instance). Mutable, owned by one stream
 * task; kept in {@code metric-series-store} in a compact binary form ({@link #encode()}, versioned by its first
 * byte) because it is written on every state change of every series.
 *
 * <p>Times are event times in epoch milliseconds. The window holds the samples of the last {@code window} of event
 * time, oldest first, for aggregates other than {@code last}.
 */
public final class SeriesState {

    private static final byte FORMAT = 1;

    /** Severity of the open alarm, or {@code null} when none is open. */
    Severity open;
    /** Event time the open alarm opened. */
    long openedAt;
    /** Whether the open alarm was escalated to CRITICAL (it then stays CRITICAL until it clears). */
    boolean escalated;
    /** Evaluation cycles seen while open at WARNING, for escalation after N cycles. */
    int cyclesAtWarning;
    /** Event time the alarm became WARNING, for escalation after a duration. */
    long warningSince;
    /** While not open: event time the thresholds first held in the current run of samples, or -1. */
    long pendingSince = -1;
    /** While not open: how many consecutive samples have met the thresholds. */
    int consecutive;
    /** Event time of the newest in-order sample, or {@link Long#MIN_VALUE} before the first. */
    long newest = Long.MIN_VALUE;
    /** Event time since which samples have arrived without a gap longer than the window (window coverage). */
    long coveredSince = Long.MIN_VALUE;
    /** Window samples: times and values, oldest first; {@code size} are in use. */
    long[] times = new long[0];
    double[] values = new double[0];
    int size;

    /** The severity of the open alarm, or {@code null}. */
    public Severity open() {
        return open;
    }

    /** Event time the open alarm opened. */
    public long openedAt() {
        return openedAt;
    }

    /** Whether nothing is open, pending or windowed: the same as no state at all. */
    public boolean isIdle() {
        return open == null && pendingSince < 0 && consecutive == 0 && size == 0;
    }

    void resetPending() {
        pendingSince = -1;
        consecutive = 0;
    }

    void add(long time, double value) {
        int at = size;
        while (at > 0 && times[at - 1] > time) {
            at--;
        }
        if (size == times.length) {
            int capacity = Math.max(8, size * 2);
            times = Arrays.copyOf(times, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        System.arraycopy(times, at, times, at + 1, size - at);
        System.arraycopy(values, at, values, at + 1, size - at);
        times[at] = time;
        values[at] = value;
        size++;
    }

    /** Drops samples older than {@code oldest}. */
    void pruneBefore(long oldest) {
        int drop = 0;
        while (drop < size && times[drop] < oldest) {
            drop++;
        }
        if (drop > 0) {
            System.arraycopy(times, drop, times, 0, size - drop);
            System.arraycopy(values, drop, values, 0, size - drop);
            size -= drop;
        }
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + size * 16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeByte(open == null ? -1 : open.ordinal());
            out.writeLong(openedAt);
            out.writeBoolean(escalated);
            out.writeInt(cyclesAtWarning);
            out.writeLong(warningSince);
            out.writeLong(pendingSince);
            out.writeInt(consecutive);
            out.writeLong(newest);
            out.writeLong(coveredSince);
            out.writeInt(size);
            for (int i = 0; i < size; i++) {
                out.writeLong(times[i]);
                out.writeDouble(values[i]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException for bytes of an unknown format */
    public static SeriesState decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown series state format " + format);
            }
            SeriesState state = new SeriesState();
            int severity = in.readByte();
            state.open = severity < 0 ? null : Severity.values()[severity];
            state.openedAt = in.readLong();
            state.escalated = in.readBoolean();
            state.cyclesAtWarning = in.readInt();
            state.warningSince = in.readLong();
            state.pendingSince = in.readLong();
            state.consecutive = in.readInt();
            state.newest = in.readLong();
            state.coveredSince = in.readLong();
            state.size = in.readInt();
            state.times = new long[state.size];
            state.values = new double[state.size];
            for (int i = 0; i < state.size; i++) {
                state.times[i] = in.readLong();
                state.values[i] = in.readDouble();
            }
            return state;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated series state", e);
        }
    }
}
