package io.tocsin.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.dispatcher.testing.DispatcherHarness;
import io.tocsin.dispatcher.testing.RecordingReceiver;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.testing.Eventually;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Events a silence holds back ({@code silenced}) reach no integration and no DLQ, are counted, and do not hold the
 * offsets back; the CREATED the rules service emits when the silence ends is delivered, then the ENDED.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SilencedEventsTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    final RecordingReceiver receiver = newReceiver();
    DispatcherHarness tocsin;

    static RecordingReceiver newReceiver() {
        try {
            return new RecordingReceiver();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        if (tocsin != null) {
            tocsin.close();
        }
        receiver.close();
    }

    /** An event of alarm {@code cmon:<alarmId>} opened at {@code opened}, with the given sequence and mark. */
    static AlarmEvent event(String alarmId, AlarmEventStatus status, long sequence, boolean silenced, Instant opened) {
        AlarmEvent base = TestEvents.event(alarmId, status);
        return AlarmEvent.newBuilder(base)
                .setEventId(base.getAlarmKey() + "/" + opened.toEpochMilli() + "/" + sequence)
                .setOpenedAt(opened).setEventTime(opened.plusSeconds(sequence)).setSequence(sequence)
                .setSilenced(silenced).setSilencedBy(silenced ? "silence-1" : null)
                .build();
    }

    @Test
    void silencedEventsAreSkippedAndTheReleasedCreatedAndItsEndedAreDelivered() {
        tocsin = new DispatcherHarness().start(Map.of(
                "tocsin.dispatcher.integrations.hook.service", "webhook",
                "tocsin.dispatcher.integrations.hook.url", receiver.url("/hook"),
                "tocsin.dispatcher.integrations.hook.send-ended", "true"));
        Instant opened = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        List<AlarmEvent> events = List.of(
                // 700 opens inside a silence and outlives it: held back, then released as CREATED #3, then ENDED.
                event("700", AlarmEventStatus.CREATED, 1, true, opened),
                event("700", AlarmEventStatus.UPDATED, 2, true, opened),
                event("700", AlarmEventStatus.CREATED, 3, false, opened),
                event("700", AlarmEventStatus.ENDED, 4, false, opened),
                // 701 opens and ends inside the silence: nothing of it is delivered.
                event("701", AlarmEventStatus.CREATED, 1, true, opened),
                event("701", AlarmEventStatus.ENDED, 2, true, opened),
                // 702 is not silenced at all.
                event("702", AlarmEventStatus.CREATED, 1, false, opened));
        tocsin.produce(events.toArray(AlarmEvent[]::new));

        // Every record handled, the skipped ones included, is committed.
        Eventually.within(WAIT, () -> assertThat(committedTotal()).isEqualTo(events.size()));
        Eventually.within(WAIT, () -> assertThat(silencedTotal()).isEqualTo(4.0));
        Eventually.within(WAIT, () -> assertThat(receiver.accepted()).hasSize(3));

        List<RecordingReceiver.Request> of700 = receiver.accepted().stream().filter(r -> r.body().contains("\"id\":700,")).toList();
        assertThat(of700).extracting(r -> r.headers().get("webhook-id"))
                .as("the released CREATED (sequence 3), then the ENDED; never the held-back CREATED #1")
                .containsExactly("cmon:700/" + opened.toEpochMilli() + "/3", "cmon:700/" + opened.toEpochMilli() + "/4");
        assertThat(of700.get(0).body()).contains("\"status\":\"CREATED\"");
        assertThat(of700.get(1).body()).contains("\"status\":\"ENDED\"");
        assertThat(receiver.accepted()).filteredOn(r -> r.body().contains("\"id\":701,")).isEmpty();
        assertThat(receiver.accepted()).filteredOn(r -> r.body().contains("\"id\":702,")).hasSize(1);
        assertThat(TopicReader.readAll(tocsin.bootstrap, tocsin.prefix + "dlq", Duration.ofSeconds(2)))
                .as("a silenced event is no failure: nothing dead-lettered").isEmpty();
    }

    /** {@code tocsin_dispatcher_events_silenced_total} as Prometheus shows it. */
    double silencedTotal() {
        String metrics = tocsin.call("GET", "/prometheus", null).body();
        return metrics.lines().filter(line -> line.startsWith("tocsin_dispatcher_events_silenced_total "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no tocsin_dispatcher_events_silenced_total in\n" + metrics));
    }

    long committedTotal() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, tocsin.bootstrap))) {
            Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> offsets = admin
                    .listConsumerGroupOffsets("dispatcher-" + tocsin.prefix).partitionsToOffsetAndMetadata().get();
            return offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
