package io.tocsin.dispatcher.testing;

import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.Severity;
import java.time.Instant;
import java.util.List;

/** Alarm events and integrations for tests. */
public final class TestEvents {

    public static final Instant OPENED = Instant.parse("2025-01-02T03:04:05Z");

    private TestEvents() {
    }

    public static AlarmEvent event(String alarmId, AlarmEventStatus status) {
        return event(alarmId, status, Severity.CRITICAL, "prod-galera", List.of("Node"));
    }

    public static AlarmEvent event(String alarmId, AlarmEventStatus status, Severity severity, String cluster,
                                   List<String> categories) {
        long sequence = switch (status) {
            case CREATED -> 1;
            case UPDATED -> 2;
            case ENDED -> 3;
        };
        String alarmKey = "cmon:" + alarmId;
        return AlarmEvent.newBuilder()
                .setEventId(alarmKey + "/" + OPENED.toEpochMilli() + "/" + sequence)
                .setAlarmKey(alarmKey)
                .setSource("cmon")
                .setAlarmId(alarmId)
                .setStatus(status)
                .setSeverity(severity)
                .setType("MySqlDisconnected")
                .setComponent("Node")
                .setCategories(categories)
                .setCluster(cluster)
                .setHostname("db1.example.org")
                .setTitle("Server db1 reports: Disconnected")
                .setMessage("Server db1:3306 is disconnected.")
                .setRecommendation("Restart failed node")
                .setOpenedAt(OPENED)
                .setEventTime(OPENED.plusSeconds(sequence))
                .setSequence(sequence)
                .build();
    }

    public static IntegrationConfig webhook(String name, String url) {
        java.util.Map<String, String> settings = new java.util.HashMap<>();
        settings.put("url", url);
        return IntegrationConfig.declared(name, "webhook", settings);
    }
}
