package io.tocsin.dispatcher.channel.webhook;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.tocsin.schema.AlarmEvent;
import java.util.List;
import java.util.Map;

/**
 * The opt-in richer webhook body ({@code format: extended}): ClusterControl's eight fields first, unchanged, so
 * a ClusterControl receiver that tolerates extra keys still works, then what Tocsin knows besides. Times are
 * ISO-8601 UTC strings.
 */
@JsonPropertyOrder({"id", "status", "component", "hostname", "title", "message", "recommendation", "severity",
        "cluster", "type", "categories", "source", "alarmKey", "eventId", "openedAt", "eventTime", "labels"})
public record ExtendedWebhookBody(Object id, String status, String component, String hostname, String title,
                                  String message, String recommendation, String severity, String cluster,
                                  String type, List<String> categories, String source, String alarmKey,
                                  String eventId, String openedAt, String eventTime, Map<String, String> labels) {

    public static ExtendedWebhookBody of(AlarmEvent event) {
        WebhookBody base = WebhookBody.of(event);
        return new ExtendedWebhookBody(base.id(), base.status(), base.component(), base.hostname(), base.title(),
                base.message(), base.recommendation(), base.severity(), event.getCluster(), event.getType(),
                List.copyOf(event.getCategories()), event.getSource(), event.getAlarmKey(), event.getEventId(),
                event.getOpenedAt().toString(), event.getEventTime().toString(), new java.util.TreeMap<>(event.getLabels()));
    }
}
