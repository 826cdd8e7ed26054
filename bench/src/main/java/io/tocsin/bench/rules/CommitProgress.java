package io.tocsin.bench.rules;

import java.io.IOException;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group has got through its input, seen from outside through the AdminClient: the end
 * offsets of the input partitions, and the offsets the group committed. This is how the bench knows the rules
 * service (or the copy baseline) has processed a phase without any hook inside it: under exactly-once, Kafka
 * Streams commits a record's offset in the same transaction as its output, so a committed offset at the end of
 * the input means every input record has been processed and its output is visible.
 *
 * <p>Error contract: admin calls that fail or take over 30 s throw {@link IOException} naming the call.
 */
final class CommitProgress {

    /** How often {@link #awaitCommitted} asks; small beside a phase of seconds. */
    static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long CALL_SECONDS = 30;

    private final Admin admin;

    CommitProgress(Admin admin) {
        this.admin = admin;
    }

    /** The descriptions of {@code topics}; throws naming the first missing one. */
    Map<String, TopicDescription> describe(Collection<String> topics) throws IOException {
        return call("describe topics " + topics, () -> admin.describeTopics(topics).allTopicNames().get(CALL_SECONDS, TimeUnit.SECONDS));
    }

    /** The end offset (next offset to be written) of every partition of {@code topics}. */
    Map<TopicPartition, Long> endOffsets(Collection<String> topics) throws IOException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        describe(topics).values().forEach(topic -> topic.partitions()
                .forEach(p -> latest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets = call("list offsets of " + topics,
                () -> admin.listOffsets(latest).all().get(CALL_SECONDS, TimeUnit.SECONDS));
        Map<TopicPartition, Long> end = new HashMap<>();
        offsets.forEach((partition, info) -> end.put(partition, info.offset()));
        return end;
    }

    /** The offsets {@code group} has committed (partitions without a commit are absent). */
    Map<TopicPartition, Long> committed(String group) throws IOException {
        Map<TopicPartition, OffsetAndMetadata> offsets = call("list the offsets of consumer group " + group,
                () -> admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(CALL_SECONDS, TimeUnit.SECONDS));
        Map<TopicPartition, Long> committed = new HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (offset != null) {
                committed.put(partition, offset.offset());
            }
        });
        return committed;
    }

    /**
     * Polls until {@code group} has committed at least {@code target} on every partition that grew since
     * {@code before} (a partition this phase wrote nothing to needs no commit), or until {@code deadline}
     * ({@link OwedEvents#now()}).
     *
     * @return {@link OwedEvents#now()} when the commits were first seen there, or -1 at the deadline
     */
    long awaitCommitted(String group, Map<TopicPartition, Long> before, Map<TopicPartition, Long> target, long deadline)
            throws IOException, InterruptedException {
        Map<TopicPartition, Long> needed = grown(before, target);
        while (true) {
            if (behind(committed(group), needed).isEmpty()) {
                return OwedEvents.now();
            }
            if (OwedEvents.now() > deadline) {
                return -1;
            }
            TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
        }
    }

    /**
     * Where {@code group} stands on the partitions it still has to reach, for the message of a phase that timed
     * out: {@code tocsin.raw.metrics-0 committed 120/5000, tocsin.raw.metrics-1 nothing committed/4800}.
     */
    String lagDescription(String group, Map<TopicPartition, Long> before, Map<TopicPartition, Long> target) throws IOException {
        Map<TopicPartition, Long> committed = committed(group);
        List<TopicPartition> behind = behind(committed, grown(before, target));
        return behind.stream().sorted(Comparator.comparing(TopicPartition::toString))
                .map(p -> p + " " + (committed.containsKey(p) ? "committed " + committed.get(p) : "nothing committed") + "/" + target.get(p))
                .collect(Collectors.joining(", "));
    }

    /**
     * One line about {@code group} for the run's header: its members and state, or a warning when it has no
     * members or cannot be described (the phases would then time out).
     */
    String describeGroup(String group) {
        try {
            ConsumerGroupDescription description = call("describe consumer group " + group,
                    () -> admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(CALL_SECONDS, TimeUnit.SECONDS));
            if (description.members().isEmpty()) {
                return "WARNING: consumer group " + group + " has no members (state " + description.groupState()
                        + "): start the rules service, or name its application id with --rules-group";
            }
            return "consumer group " + group + ": " + description.members().size() + " member(s), state " + description.groupState();
        } catch (IOException e) {
            return "WARNING: " + e.getMessage();
        }
    }

    private static Map<TopicPartition, Long> grown(Map<TopicPartition, Long> before, Map<TopicPartition, Long> target) {
        Map<TopicPartition, Long> grown = new HashMap<>();
        target.forEach((partition, end) -> {
            if (end > before.getOrDefault(partition, 0L)) {
                grown.put(partition, end);
            }
        });
        return grown;
    }

    private static List<TopicPartition> behind(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> needed) {
        return needed.entrySet().stream().filter(e -> committed.getOrDefault(e.getKey(), -1L) < e.getValue()).map(Map.Entry::getKey).toList();
    }

    private interface AdminCall<T> {
        T get() throws InterruptedException, ExecutionException, TimeoutException;
    }

    private static <T> T call(String what, AdminCall<T> call) throws IOException {
        try {
            return call.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while trying to " + what, e);
        } catch (ExecutionException e) {
            throw new IOException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("cannot " + what + ": no answer from Kafka within " + CALL_SECONDS + " s", e);
        }
    }
}
