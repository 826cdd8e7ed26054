package io.tocsin.bench.rules;

import io.tocsin.schema.HostMetric;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.wire.Codecs;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends a {@link Workload} to a pair of input topics (samples keyed by host, raw alarms keyed by alarm key, as
 * Tocsin's collectors write them: Avro single-object encoding through {@link Codecs}) from one thread, and
 * records each owed event's send time in the phase's {@link OwedEvents} (none for the copy baseline).
 *
 * <p>Event time: every record of a round carries the same timestamp (in the record and in its {@code timestamp}
 * field), the wall clock when the round began but at least 1 ms after the previous round's, so each series'
 * samples are strictly increasing in event time even when a round takes less than a millisecond.
 *
 * <p>Without a rate the records go as fast as the producer takes them and a send time is when
 * {@code send()} was called. With a rate R, record i is due at {@code start + i/R} on an absolute schedule and its
 * send time is that due time, so falling behind shows as latency (no coordinated omission).
 *
 * <p>A send Kafka refuses (after the producer's own retries; a broker gone for {@code max.block.ms} or
 * {@code delivery.timeout.ms}) stops the phase: its figures would be meaningless, and every further send would
 * wait just as long.
 */
final class WorkloadSender {

    private final Producer<String, byte[]> producer;
    private final double rate;
    private final LongAdder sent = new LongAdder();
    private final AtomicReference<Exception> firstError = new AtomicReference<>();
    private final AtomicLong lastAck = new AtomicLong();

    WorkloadSender(Producer<String, byte[]> producer, double rate) {
        this.producer = producer;
        this.rate = rate;
    }

    /** What one {@link #send} did; times are {@link OwedEvents#now()}. */
    record Sent(long records, long firstSend, long lastAck) {

        double seconds() {
            return Math.max(0, lastAck - firstSend) / 1e9;
        }
    }

    /** Records sent so far in the current {@link #send} (for progress lines). */
    long sentSoFar() {
        return sent.sum();
    }

    /**
     * Sends every record of {@code workload} to {@code metricsTopic} and {@code alarmsTopic} and returns once the
     * broker acknowledged each.
     *
     * @param owed where owed events' send times go; null for the copy baseline
     * @throws IOException when Kafka refused a record; sending stopped there
     */
    Sent send(Workload workload, String metricsTopic, String alarmsTopic, OwedEvents owed) throws IOException {
        sent.reset();
        firstError.set(null);
        lastAck.set(0);
        long start = OwedEvents.now();
        try {
            emit(workload, metricsTopic, alarmsTopic, owed, start);
        } catch (StoppedSending e) {
            // a send failed: reported below, once the records in flight are settled
        }
        producer.flush();
        Exception error = firstError.get();
        if (error != null) {
            throw new IOException("Kafka refused a record (" + error.getClass().getSimpleName() + ": " + error.getMessage()
                    + "); sending stopped after " + sent.sum() + " of " + workload.records() + " records", error);
        }
        return new Sent(sent.sum(), start, Math.max(lastAck.get(), start));
    }

    private void emit(Workload workload, String metricsTopic, String alarmsTopic, OwedEvents owed, long start) {
        double nanosPerRecord = rate > 0 ? 1e9 / rate : 0;
        workload.emit(new Workload.Sink() {
            private int currentRound = -1;
            private long roundTimestamp;
            private long index;

            @Override
            public void sample(int round, String key, HostMetric sample, int owedSlot) {
                sample.setTimestamp(Instant.ofEpochMilli(timestamp(round)));
                send(metricsTopic, key, Codecs.HOST_METRIC.encode(sample), owedSlot);
            }

            @Override
            public void rawAlarm(int round, String key, RawAlarm alarm, int owedSlot) {
                alarm.setTimestamp(Instant.ofEpochMilli(timestamp(round)));
                send(alarmsTopic, key, Codecs.RAW_ALARM.encode(alarm), owedSlot);
            }

            private long timestamp(int round) {
                if (round != currentRound) {
                    currentRound = round;
                    roundTimestamp = Math.max(System.currentTimeMillis(), roundTimestamp + 1);
                }
                return roundTimestamp;
            }

            private void send(String topic, String key, byte[] value, int owedSlot) {
                if (firstError.get() != null) {
                    throw new StoppedSending();
                }
                long reference;
                if (nanosPerRecord > 0) {
                    reference = start + (long) (index * nanosPerRecord);
                    long wait = reference - OwedEvents.now();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                } else {
                    reference = OwedEvents.now();
                }
                index++;
                if (owed != null && owedSlot >= 0) {
                    owed.sent(owedSlot, reference);
                }
                producer.send(new ProducerRecord<>(topic, null, roundTimestamp, key, value), (metadata, error) -> {
                    if (error != null) {
                        firstError.compareAndSet(null, error);
                    }
                    lastAck.accumulateAndGet(OwedEvents.now(), Math::max);
                });
                sent.increment();
            }
        });
    }

    /** Unwinds {@link Workload#emit} once a send failed. */
    private static final class StoppedSending extends RuntimeException {
        StoppedSending() {
            super(null, null, false, false);
        }
    }
}
