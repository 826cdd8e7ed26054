package io.tocsin.dispatcher.channel.servicenow;

import io.tocsin.dispatcher.channel.AlarmText;
import io.tocsin.dispatcher.channel.JsonBodies;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.HttpOutcome;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Event mode: sends each event to Event Management's inbound web service
 * (<a href="https://www.servicenow.com/docs/bundle/zurich-it-operations-management/page/product/event-management/task/send-events-via-web-service.html">send
 * events via web service</a>), {@code POST /api/global/em/jsonv2} with {@code {"records":[{...}]}}. The customer's
 * alert rules turn events into alerts and incidents; de-duplication and closing happen on the instance by
 * {@code message_key} ({@link CorrelationId}), so Tocsin keeps no state.
 *
 * <p>Severity: CRITICAL → {@code 1} (Critical), WARNING → {@code 4} (Warning), ENDED → {@code 0} (Clear) with
 * {@code resolution_state: Closing}; the test notification is {@code 5} (OK), which opens no alert.
 *
 * <p>Error contract: never throws; a 2xx is delivered, anything else is read by {@link ServiceNowAnswer}.
 */
final class ServiceNowEvents {

    static final String PATH = "/api/global/em/jsonv2";
    static final int MAX_DESCRIPTION = 4_000;
    /** {@code time_of_event} is GMT in this form. */
    static final DateTimeFormatter TIME_OF_EVENT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final JsonHttpSender sender;

    ServiceNowEvents(JsonHttpSender sender) {
        this.sender = sender;
    }

    DeliveryResult send(AlarmEvent event, ServiceNowSettings settings, List<String> secrets) {
        byte[] body = JsonBodies.bytes(Map.of("records", List.of(record(event, settings))));
        HttpOutcome outcome = sender.exchange("POST", URI.create(settings.instance() + PATH), body,
                Map.of("Accept", "application/json", "Authorization", settings.authorization()));
        return outcome.succeeded() ? DeliveryResult.Delivered.INSTANCE : ServiceNowAnswer.failure(outcome, secrets, Instant.now());
    }

    static Map<String, Object> record(AlarmEvent event, ServiceNowSettings settings) {
        AlarmText text = AlarmText.of(event, settings.linkTemplate());
        boolean ended = event.getStatus() == AlarmEventStatus.ENDED;
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("source", "Tocsin");
        record.put("event_class", event.getSource()); // the producing system: cmon, pacemaker, alertmanager
        record.put("node", event.getHostname());
        record.put("resource", event.getComponent());
        record.put("type", event.getType());
        record.put("message_key", CorrelationId.of(event.getAlarmKey()));
        record.put("severity", severity(event));
        record.put("resolution_state", ended ? "Closing" : "New");
        record.put("description", AlarmText.truncate(text.render(s -> s, s -> s), MAX_DESCRIPTION));
        record.put("time_of_event", TIME_OF_EVENT.format(event.getEventTime()));
        Map<String, String> info = new LinkedHashMap<>();
        info.put("alarm_key", event.getAlarmKey());
        info.put("event_id", event.getEventId());
        info.put("cluster", event.getCluster());
        info.put("title", text.headline());
        info.put("recommendation", text.recommendation());
        if (!text.link().isEmpty()) {
            info.put("link", text.link());
        }
        record.put("additional_info", JsonBodies.text(info)); // a JSON object as a string, per the API
        return record;
    }

    static String severity(AlarmEvent event) {
        if (event.getStatus() == AlarmEventStatus.ENDED) {
            return "0";
        }
        if (ServiceNowNotifier.isTest(event)) {
            return "5";
        }
        return switch (event.getSeverity()) {
            case CRITICAL -> "1";
            case WARNING -> "4";
        };
    }
}
