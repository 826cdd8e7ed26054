package io.tocsin.dispatcher.delivery;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets may be committed while records finish out of order: per partition, the records handed out in
 * offset order; the committable offset is just past the longest finished prefix, so a commit never passes a
 * record that some integration has not finished. Used by the consumer thread only; records are marked finished
 * from any thread.
 */
public final class OffsetTracker {

    private final Map<TopicPartition, ArrayDeque<Pending>> partitions = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    /** Starts tracking a record; it is finished once {@link Pending#release()} has been called as often as acquired. */
    public Pending track(TopicPartition partition, long offset) {
        Pending pending = new Pending(offset);
        partitions.computeIfAbsent(partition, p -> new ArrayDeque<>()).addLast(pending);
        return pending;
    }

    /**
     * The offsets to commit now: for each partition whose finished prefix grew since the last call, the offset
     * after it. The caller commits them; they count as committed from here on.
     */
    public Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
        partitions.forEach((partition, queue) -> {
            Long next = null;
            while (!queue.isEmpty() && queue.peekFirst().isFinished()) {
                next = queue.pollFirst().offset + 1;
            }
            if (next != null && !next.equals(committed.get(partition))) {
                committed.put(partition, next);
                result.put(partition, new OffsetAndMetadata(next));
            }
        });
        return result;
    }

    /** Forgets revoked or lost partitions (their unfinished records are delivered again by the new owner). */
    public void forget(Collection<TopicPartition> revoked) {
        revoked.forEach(partition -> {
            partitions.remove(partition);
            committed.remove(partition);
        });
    }

    /** Records tracked and not yet committed, over all partitions. */
    public int size() {
        return partitions.values().stream().mapToInt(ArrayDeque::size).sum();
    }

    /**
     * One record in flight: starts with one hold (released by the consumer once it has handed the record to every
     * integration), plus one per delivery.
     */
    public static final class Pending {
        private final long offset;
        private final AtomicInteger holds = new AtomicInteger(1);

        Pending(long offset) {
            this.offset = offset;
        }

        public void acquire() {
            holds.incrementAndGet();
        }

        public void release() {
            holds.decrementAndGet();
        }

        boolean isFinished() {
            return holds.get() <= 0;
        }
    }
}
