package io.tocsin.dispatcher.channel.pagerduty;

import io.tocsin.dispatcher.DispatcherSettings;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.delivery.OutboundTargets;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A sender and the test notification, shared by the PagerDuty and Opsgenie tests. */
public final class IncidentFixtures {

    private IncidentFixtures() {
    }

    /** A sender whose attempts time out after one second, so the timeout test is quick. */
    public static JsonHttpSender sender() {
        DispatcherSettings defaults = DispatcherSettings.defaults();
        return new JsonHttpSender(new DispatcherSettings(defaults.groupId(), defaults.initialBackoff(), defaults.maxBackoff(),
                defaults.deliveryDeadline(), Duration.ofSeconds(1), true), OutboundTargets.defaults());
    }

    /** The integration test endpoint's event: WARNING, labelled {@code tocsin.test=true}, a {@code tocsin:test-…} key. */
    public static AlarmEvent testNotification(AlarmEventStatus status) {
        Instant now = Instant.parse("2025-03-04T05:06:07Z");
        long sequence = status == AlarmEventStatus.CREATED ? 1 : 2;
        String alarmKey = "tocsin:test-" + now.toEpochMilli();
        return AlarmEvent.newBuilder(TestEvents.event("x", status))
                .setEventId(alarmKey + "/" + now.toEpochMilli() + "/" + sequence)
                .setAlarmKey(alarmKey).setSource("tocsin").setAlarmId("test-" + now.toEpochMilli())
                .setSeverity(io.tocsin.schema.Severity.WARNING).setType("TocsinTestNotification").setComponent("Tocsin")
                .setCategories(List.of()).setCluster("").setHostname("tocsin").setTitle("Tocsin test notification")
                .setMessage("This is a test notification from Tocsin for the integration 'ops'. No action is needed.")
                .setRecommendation("None: this only checks that the integration reaches you.")
                .setLabels(Map.of("tocsin.test", "true")).setOpenedAt(now).setEventTime(now).setSequence(sequence)
                .build();
    }
}
