package io.tocsin.collector.ingest.pacemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The gate's bookkeeping when a publication fails: the alert may be sent again (the HTTP side is in PacemakerSequenceTest). */
class SequenceGateTest {

    final SequenceGate gate = new SequenceGate(100, new SimpleMeterRegistry());
    final List<String> published = new ArrayList<>();

    CompletableFuture<String> send(long sequence, CompletableFuture<String> outcome) {
        return gate.publishInOrder("node1", "src:node/node2", sequence, Instant.parse("2026-11-20T10:00:00Z"), () -> {
            published.add("seq " + sequence);
            return outcome;
        });
    }

    @Test
    void anAlertKafkaDidNotTakeIsNotStaleWhenSentAgain() {
        assertThat(send(5, CompletableFuture.completedFuture("ok"))).isCompletedWithValue("ok");
        CompletableFuture<String> failing = new CompletableFuture<>();
        CompletableFuture<String> sixth = send(6, failing);
        failing.completeExceptionally(new IllegalStateException("Kafka did not acknowledge"));
        assertThat(sixth).isCompletedExceptionally();

        assertThat(send(6, CompletableFuture.completedFuture("again"))).as("the retry of 6").isCompletedWithValue("again");
        assertThat(send(6, CompletableFuture.completedFuture("dup"))).as("6 was taken now").isNull();
        assertThat(send(4, CompletableFuture.completedFuture("late"))).isNull();
        assertThat(published).containsExactly("seq 5", "seq 6", "seq 6");
    }

    @Test
    void aFailureDoesNotUndoALaterAlert() {
        CompletableFuture<String> failing = new CompletableFuture<>();
        send(7, failing);
        assertThat(send(8, CompletableFuture.completedFuture("ok"))).isCompletedWithValue("ok");
        failing.completeExceptionally(new IllegalStateException("Kafka did not acknowledge"));
        assertThat(send(7, CompletableFuture.completedFuture("retry of 7"))).as("8 stays the mark").isNull();
    }

    @Test
    void aPublisherThatThrowsLeavesNoMark() {
        assertThatThrownBy(() -> gate.publishInOrder("node1", "k", 3, null, () -> {
            throw new IllegalStateException("producer closed");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(gate.size()).isZero();
        assertThat(gate.publishInOrder("node1", "k", 3, null, () -> CompletableFuture.completedFuture("ok"))).isCompletedWithValue("ok");
    }
}
