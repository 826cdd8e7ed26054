package io.tocsin.dispatcher.channel.opsgenie;

import io.tocsin.dispatcher.channel.AlarmText;
import io.tocsin.dispatcher.channel.CorrelationKey;
import io.tocsin.dispatcher.channel.JsonBodies;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.Severity;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The bodies of Opsgenie's <a href="https://docs.opsgenie.com/docs/alert-api">Alert API</a> requests for an alarm
 * event, within the API's field limits (counted in characters): {@code message} {@value #MAX_MESSAGE},
 * {@code alias} {@value #MAX_ALIAS}, {@code description} {@value #MAX_DESCRIPTION}, {@code entity} 512, at most
 * {@value #MAX_TAGS} tags of {@value #MAX_TAG} characters, {@code details} {@value #MAX_DETAILS} characters in all
 * (names and values).
 *
 * <p>Priority: CRITICAL → {@code P1}, WARNING → {@code P3} (Opsgenie's default, so warnings do not page above
 * normal), Tocsin's test notification → {@code P5} with the tag {@code test}.
 */
final class OpsgenieAlert {

    static final int MAX_MESSAGE = 130;
    static final int MAX_ALIAS = 512;
    static final int MAX_DESCRIPTION = 15_000;
    static final int MAX_ENTITY = 512;
    static final int MAX_TAGS = 20;
    static final int MAX_TAG = 50;
    static final int MAX_DETAILS = 8_000;
    /** A single detail value's cut, so the fixed details always fit and labels get the rest. */
    static final int MAX_DETAIL_VALUE = 500;
    static final String SOURCE = "Tocsin";
    /** The label the integration test endpoint puts on its test event. */
    static final String TEST_LABEL = "tocsin.test";


    private OpsgenieAlert() {
    }

    /** The alias of an alarm: its alarm key, shortened stably past 512 characters ({@link CorrelationKey}). */
    static String alias(AlarmEvent event) {
        return CorrelationKey.of(event.getAlarmKey(), MAX_ALIAS);
    }

    /**
     * The alias as one URL path segment: percent-encoded UTF-8 (so {@code /} and {@code ?} stay inside it), a space
     * as {@code %20} rather than the form encoding's {@code +}, and {@code ~} (unreserved, RFC 3986) left as it is.
     */
    static String aliasPathSegment(AlarmEvent event) {
        return URLEncoder.encode(alias(event), StandardCharsets.UTF_8).replace("+", "%20").replace("%7E", "~");
    }

    static boolean isTest(AlarmEvent event) {
        return "true".equals(event.getLabels().get(TEST_LABEL));
    }

    static String priority(AlarmEvent event) {
        if (isTest(event)) {
            return "P5";
        }
        return event.getSeverity() == Severity.CRITICAL ? "P1" : "P3";
    }

    /** The body of {@code POST /v2/alerts}. */
    static byte[] create(AlarmEvent event, String linkTemplate) {
        AlarmText text = AlarmText.of(event, linkTemplate);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", AlarmText.truncate(text.headline(), MAX_MESSAGE));
        body.put("alias", alias(event));
        body.put("description", AlarmText.truncate(text.render(UnaryOperator.identity(), UnaryOperator.identity()), MAX_DESCRIPTION));
        body.put("tags", tags(event));
        body.put("details", details(event, text));
        if (!text.host().isBlank()) {
            body.put("entity", AlarmText.truncate(text.host(), MAX_ENTITY));
        }
        body.put("source", SOURCE);
        body.put("priority", priority(event));
        return JsonBodies.bytes(body);
    }

    /** The body of {@code POST /v2/alerts/{alias}/close?identifierType=alias}: who closed it and when. */
    static byte[] close(AlarmEvent event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("source", SOURCE);
        body.put("note", "Alarm ended at " + event.getEventTime());
        return JsonBodies.bytes(body);
    }

    /** {@code tocsin}, the severity, the categories and {@code test} for the test notification: distinct, cut. */
    private static List<String> tags(AlarmEvent event) {
        Set<String> tags = new LinkedHashSet<>();
        tags.add("tocsin");
        tags.add(AlarmText.lower(event.getSeverity()));
        if (isTest(event)) {
            tags.add("test");
        }
        event.getCategories().stream().filter(c -> c != null && !c.isBlank()).forEach(c -> tags.add(AlarmText.truncate(c.strip(), MAX_TAG)));
        return tags.stream().limit(MAX_TAGS).toList();
    }

    /** The alarm's identity and context first, then its labels ({@code label.<name>}) while they fit. */
    private static Map<String, String> details(AlarmEvent event, AlarmText text) {
        Map<String, String> details = new LinkedHashMap<>();
        put(details, "alarmKey", event.getAlarmKey());
        put(details, "eventId", event.getEventId());
        put(details, "source", event.getSource());
        put(details, "cluster", event.getCluster());
        put(details, "host", event.getHostname());
        put(details, "component", event.getComponent());
        put(details, "type", event.getType());
        put(details, "openedAt", event.getOpenedAt().toString());
        put(details, "categories", String.join(", ", event.getCategories()));
        put(details, "link", text.link());
        int used = details.entrySet().stream().mapToInt(e -> length(e.getKey()) + length(e.getValue())).sum();
        for (Map.Entry<String, String> label : new TreeMap<>(event.getLabels()).entrySet()) {
            String name = AlarmText.truncate("label." + label.getKey(), MAX_TAG);
            String value = AlarmText.truncate(label.getValue() == null ? "" : label.getValue(), MAX_DETAIL_VALUE);
            int size = length(name) + length(value);
            if (used + size > MAX_DETAILS) {
                break; // labels beyond Opsgenie's limit are left out rather than have the alert refused
            }
            details.put(name, value);
            used += size;
        }
        return details;
    }

    private static void put(Map<String, String> details, String name, String value) {
        if (value != null && !value.isBlank()) {
            details.put(name, AlarmText.truncate(value, MAX_DETAIL_VALUE));
        }
    }

    private static int length(String text) {
        return text.codePointCount(0, text.length());
    }
}
