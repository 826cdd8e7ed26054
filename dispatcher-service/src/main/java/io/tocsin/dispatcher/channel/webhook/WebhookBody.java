package io.tocsin.dispatcher.channel.webhook;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.tocsin.schema.AlarmEvent;
import java.util.regex.Pattern;

/**
 * The body ClusterControl's webhook integration posts, field for field and in its order, so receivers built
 * for ClusterControl take Tocsin's unchanged. No other field is added: some receivers reject unknown fields.
 *
 * @param id             the alarm's id: a JSON number when it is all digits (ClusterControl sends e.g. 470),
 *                       otherwise a JSON string; a {@link Long} or a {@link String}
 * @param status         CREATED or ENDED
 * @param component      area of the alarm
 * @param hostname       host of the alarm
 * @param title          one-line summary
 * @param message        full description
 * @param recommendation what an operator should do
 * @param severity       WARNING or CRITICAL
 */
@JsonPropertyOrder({"id", "status", "component", "hostname", "title", "message", "recommendation", "severity"})
public record WebhookBody(Object id, String status, String component, String hostname, String title,
                          String message, String recommendation, String severity) {

    /** Up to 18 digits always fits a long; longer ids stay strings rather than risk overflow or rounding. */
    private static final Pattern NUMERIC_ID = Pattern.compile("[0-9]{1,18}");

    public static WebhookBody of(AlarmEvent event) {
        return new WebhookBody(id(event.getAlarmId()), event.getStatus().name(), event.getComponent(),
                event.getHostname(), event.getTitle(), event.getMessage(), event.getRecommendation(),
                event.getSeverity().name());
    }

    static Object id(String alarmId) {
        return NUMERIC_ID.matcher(alarmId).matches() ? (Object) Long.parseLong(alarmId) : alarmId;
    }
}
