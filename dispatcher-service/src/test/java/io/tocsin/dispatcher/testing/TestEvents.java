package io.tocsin.dispatcher.testing;

import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.Severity;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * What the integration test endpoint sends for {@code integration}: the real event of
     * {@code IntegrationService.testEvent} (a WARNING labelled {@code tocsin.test=true} with a fresh
     * {@code tocsin:test-<millis>} key), so a channel's test checks what operators will see.
     */
    public static AlarmEvent testNotification(IntegrationConfig integration) {
        return (AlarmEvent) invokeIntegrationService("testEvent", IntegrationConfig.class, integration);
    }

    /** The ENDED the test endpoint sends after {@code created} to services that keep incidents open. */
    public static AlarmEvent endedTestNotification(AlarmEvent created) {
        return (AlarmEvent) invokeIntegrationService("endedTestEvent", AlarmEvent.class, created);
    }

    // Package-private in production (only the test endpoint builds these events); reflection keeps it so.
    private static Object invokeIntegrationService(String method, Class<?> parameter, Object argument) {
        try {
            Method builder = Class.forName("io.tocsin.dispatcher.integration.IntegrationService").getDeclaredMethod(method, parameter);
            builder.setAccessible(true);
            return builder.invoke(null, argument);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("IntegrationService." + method + " is not what the tests expect", e);
        }
    }

    /**
     * A declared integration of {@code service} with the settings given as name, value, name, value…; a pair whose
     * value is null is left out (an optional setting not given).
     */
    public static IntegrationConfig integration(String name, String service, String... namesAndValues) {
        return integration(name, service, Map.of(), namesAndValues);
    }

    /** As above, on top of {@code base} settings (a channel's required ones). */
    public static IntegrationConfig integration(String name, String service, Map<String, String> base, String... namesAndValues) {
        Map<String, String> settings = new HashMap<>(base);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                settings.put(namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return IntegrationConfig.declared(name, service, settings);
    }

    public static IntegrationConfig webhook(String name, String url) {
        java.util.Map<String, String> settings = new java.util.HashMap<>();
        settings.put("url", url);
        return IntegrationConfig.declared(name, "webhook", settings);
    }
}
