package io.tocsin.dispatcher.channel.splunkoncall;

import io.tocsin.dispatcher.channel.AlarmText;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON body of one Splunk On-Call REST endpoint alert
 * (<a href="https://help.victorops.com/knowledge-base/victorops-restendpoint-integration/">fields</a>).
 *
 * <p>{@code entity_id} is the alarm key: Splunk On-Call rolls every alert with the same entity id into one incident,
 * so the RECOVERY of an ENDED event resolves the incident its CREATED opened, even after a restart of Tocsin
 * (nothing is kept in memory). No limit on its length is documented, so the key is sent whole.
 *
 * <p>{@code message_type}: CRITICAL → {@code CRITICAL} (pages), WARNING → {@code WARNING} (an incident only if the
 * organisation enabled incidents for warnings), ENDED → {@code RECOVERY}. Tocsin's test notification (label
 * {@code tocsin.test=true}) is sent as {@code INFO}: it reaches the timeline without paging anyone.
 */
final class SplunkOnCallAlert {

    /** Alertmanager's bound for {@code state_message}; the service documents none. */
    static final int MAX_STATE_MESSAGE = 20_480;
    /** Tocsin's bound for the display name (a one-line title); the service documents none. */
    static final int MAX_DISPLAY_NAME = 1_024;
    static final String MONITORING_TOOL = "Tocsin";
    static final String TEST_LABEL = "tocsin.test";

    private SplunkOnCallAlert() {
    }

    /** The body for a CREATED or ENDED event; {@code linkTemplate} may be null. */
    static Map<String, Object> of(AlarmEvent event, String linkTemplate) {
        AlarmText text = AlarmText.of(event, linkTemplate);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message_type", messageType(event));
        body.put("entity_id", event.getAlarmKey());
        body.put("entity_display_name", AlarmText.truncate(text.headline(), MAX_DISPLAY_NAME));
        body.put("state_message", AlarmText.truncate(text.render(s -> s, s -> s), MAX_STATE_MESSAGE));
        body.put("state_start_time", event.getOpenedAt().getEpochSecond());
        body.put("timestamp", event.getEventTime().getEpochSecond());
        body.put("monitoring_tool", MONITORING_TOOL);
        // Custom fields: Splunk On-Call keeps any other key, and routing rules / transformations can match them.
        body.put("host_name", event.getHostname());
        body.put("cluster", event.getCluster());
        body.put("component", event.getComponent());
        body.put("alarm_type", event.getType());
        body.put("severity", event.getSeverity().name());
        body.put("event_id", event.getEventId());
        if (!text.link().isEmpty()) {
            body.put("vo_annotate.u.Tocsin", text.link()); // a URL annotation shown on the incident
        }
        return body;
    }

    static String messageType(AlarmEvent event) {
        if (event.getStatus() == AlarmEventStatus.ENDED) {
            return "RECOVERY";
        }
        if (isTest(event)) {
            return "INFO";
        }
        return switch (event.getSeverity()) {
            case CRITICAL -> "CRITICAL";
            case WARNING -> "WARNING";
        };
    }

    static boolean isTest(AlarmEvent event) {
        return "true".equals(event.getLabels().get(TEST_LABEL));
    }
}
