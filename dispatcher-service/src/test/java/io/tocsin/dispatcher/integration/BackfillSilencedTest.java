package io.tocsin.dispatcher.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.dispatcher.delivery.DeliveryEngine;
import io.tocsin.dispatcher.testing.DispatcherHarness;
import io.tocsin.dispatcher.testing.RecordingReceiver;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.AlarmState;
import io.tocsin.schema.wire.Codecs;
import io.tocsin.testing.Eventually;
import io.tocsin.testing.KafkaBrokerExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A backfill sends the open alarms, except those a silence holds back: their CREATED went nowhere either. */
@ExtendWith(KafkaBrokerExtension.class)
class BackfillSilencedTest {

    DispatcherHarness tocsin;
    RecordingReceiver receiver;

    @AfterEach
    void stop() {
        if (tocsin != null) {
            tocsin.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    static AlarmState openState(String alarmId, Instant opened, boolean silenced) {
        AlarmEvent event = TestEvents.event(alarmId, AlarmEventStatus.CREATED);
        return AlarmState.newBuilder().setAlarmKey(event.getAlarmKey()).setSource(event.getSource()).setAlarmId(event.getAlarmId())
                .setSeverity(event.getSeverity()).setType(event.getType()).setComponent(event.getComponent())
                .setCategories(event.getCategories()).setCluster(event.getCluster()).setHostname(event.getHostname())
                .setTitle(event.getTitle()).setMessage(event.getMessage()).setRecommendation(event.getRecommendation())
                .setLabels(event.getLabels()).setOpenedAt(opened).setUpdatedAt(opened).setSequence(1)
                .setSilenced(silenced).setSilencedBy(silenced ? "silence-1" : null).build();
    }

    @Test
    void silencedOpenAlarmsAreNotBackfilled() throws Exception {
        receiver = new RecordingReceiver();
        tocsin = new DispatcherHarness().start(Map.of());
        Instant opened = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        for (AlarmState state : List.of(openState("800", opened, true), openState("801", opened, false))) {
            tocsin.produce(tocsin.prefix + "alarms.open", state.getAlarmKey(), Codecs.ALARM_STATE.encode(state));
        }
        tocsin.produce(); // no events: flushes the two states, so the backfill reads them
        IntegrationConfig integration = tocsin.bean(IntegrationService.class).create(new IntegrationRequest("late", "webhook",
                Map.of("url", receiver.url("/late")), List.of(), List.of(), true, true, false));

        assertThat(tocsin.bean(Backfiller.class).run(integration)).as("alarms backfilled").isEqualTo(1);
        Eventually.within(Duration.ofSeconds(20), () -> assertThat(receiver.accepted()).hasSize(1));
        assertThat(tocsin.bean(DeliveryEngine.class).awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(receiver.accepted()).singleElement().satisfies(request -> {
            assertThat(request.body()).contains("\"id\":801,").contains("\"status\":\"CREATED\"");
            assertThat(request.headers().get("webhook-id")).isEqualTo("cmon:801/" + opened.toEpochMilli() + "/1");
        });
    }
}
