package io.tocsin.dispatcher.channel.pagerduty;

import io.tocsin.dispatcher.channel.AlarmText;
import io.tocsin.dispatcher.channel.CorrelationKey;
import io.tocsin.dispatcher.channel.JsonBodies;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The body of a PagerDuty Events API v2 event
 * (<a href="https://developer.pagerduty.com/docs/events-api-v2/trigger-events/">trigger</a>,
 * <a href="https://developer.pagerduty.com/docs/events-api-v2/resolve-events/">resolve</a>) for an alarm event.
 *
 * <p>A trigger carries {@code payload.summary} (the headline, at most {@value #MAX_SUMMARY} characters),
 * {@code source} (the host, else the cluster, else the alarm's source), {@code severity} ({@code critical},
 * {@code warning}, or {@code info} for Tocsin's test notification), {@code timestamp} (when the alarm opened),
 * {@code component}, {@code group} (cluster), {@code class} (alarm type) and {@code custom_details}; a resolve only
 * the routing key, the action and the {@code dedup_key}, which is all PagerDuty reads. When a trigger would exceed
 * PagerDuty's {@value #MAX_EVENT_BYTES}-byte limit, its {@code custom_details} are replaced by a note, as
 * Prometheus Alertmanager does, so the alert still opens.
 */
final class PagerDutyEvent {

    static final int MAX_SUMMARY = 1024;
    static final int MAX_DEDUP_KEY = 255;
    static final int MAX_EVENT_BYTES = 512_000;
    /** The label the integration test endpoint puts on its test event. */
    static final String TEST_LABEL = "tocsin.test";


    private PagerDutyEvent() {
    }

    /** The dedup key of an alarm: its alarm key, shortened stably past 255 characters ({@link CorrelationKey}). */
    static String dedupKey(AlarmEvent event) {
        return CorrelationKey.of(event.getAlarmKey(), MAX_DEDUP_KEY);
    }

    /** PagerDuty's severity: {@code info} for the test notification, else the alarm's severity in lower case. */
    static String severity(AlarmEvent event) {
        if ("true".equals(event.getLabels().get(TEST_LABEL))) {
            return "info";
        }
        return event.getSeverity() == Severity.CRITICAL ? "critical" : "warning";
    }

    static byte[] trigger(AlarmEvent event, String routingKey, String linkTemplate) {
        AlarmText text = AlarmText.of(event, linkTemplate);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("summary", AlarmText.truncate(text.headline(), MAX_SUMMARY));
        payload.put("source", firstNonBlank(event.getHostname(), event.getCluster(), event.getSource()));
        payload.put("severity", severity(event));
        payload.put("timestamp", event.getOpenedAt().toString());
        putIfPresent(payload, "component", event.getComponent());
        putIfPresent(payload, "group", event.getCluster());
        putIfPresent(payload, "class", event.getType());
        payload.put("custom_details", details(event, text));

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("routing_key", routingKey);
        body.put("event_action", "trigger");
        body.put("dedup_key", dedupKey(event));
        body.put("payload", payload);
        body.put("client", "Tocsin");
        if (!text.link().isEmpty()) {
            body.put("client_url", text.link());
            body.put("links", List.of(Map.of("href", text.link(), "text", "Alarm in Tocsin")));
        }
        byte[] bytes = JsonBodies.bytes(body);
        if (bytes.length <= MAX_EVENT_BYTES) {
            return bytes;
        }
        payload.put("custom_details", Map.of("note", "details left out: the event exceeded PagerDuty's 512 KB limit",
                "alarm_key", event.getAlarmKey()));
        return JsonBodies.bytes(body);
    }

    static byte[] resolve(AlarmEvent event, String routingKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("routing_key", routingKey);
        body.put("event_action", "resolve");
        body.put("dedup_key", dedupKey(event));
        return JsonBodies.bytes(body);
    }

    private static Map<String, Object> details(AlarmEvent event, AlarmText text) {
        Map<String, Object> details = new LinkedHashMap<>();
        putIfPresent(details, "message", text.message());
        putIfPresent(details, "recommendation", text.recommendation());
        putIfPresent(details, "host", text.host());
        putIfPresent(details, "cluster", text.cluster());
        details.put("alarm_key", event.getAlarmKey());
        details.put("event_id", event.getEventId());
        details.put("opened_at", event.getOpenedAt().toString());
        if (!event.getCategories().isEmpty()) {
            details.put("categories", List.copyOf(event.getCategories()));
        }
        if (!event.getLabels().isEmpty()) {
            details.put("labels", new TreeMap<>(event.getLabels()));
        }
        putIfPresent(details, "link", text.link());
        return details;
    }

    private static void putIfPresent(Map<String, Object> map, String name, String value) {
        if (value != null && !value.isBlank()) {
            map.put(name, value);
        }
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return "tocsin";
    }
}
