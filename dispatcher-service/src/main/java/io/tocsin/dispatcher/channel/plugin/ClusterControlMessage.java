package io.tocsin.dispatcher.channel.plugin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.dispatcher.channel.webhook.WebhookBody;
import io.tocsin.schema.AlarmEvent;
import java.util.regex.Pattern;

/**
 * The JSON document cmon writes to a ClusterControl plugin's standard input, one per alarm event: {@code type}
 * (always {@code alarm}), {@code action} ({@code new}, {@code update}, {@code remove}), the {@code alarm} map and
 * {@code cmon_hostname}. The alarm map has cmon's keys first (the ones the s9s-admin sample plugins read) and
 * Tocsin's additions after them ({@code cluster}, {@code component}, {@code alarm_key}, {@code event_id}):
 * plugins read keys by name, so additions are harmless and spare them a second source. Fields Tocsin does not
 * know ({@code hostid}, {@code nodeid}) are 0 as cmon sends for cluster-wide alarms.
 * Source: Severalnines, "ClusterControl 1.2.8 plugin interface" and {@code severalnines/s9s-admin}
 * {@code plugins/pagerduty/pagerduty.py}.
 *
 * @param type         always {@code alarm}
 * @param action       {@code new} (CREATED), {@code update} (UPDATED) or {@code remove} (ENDED)
 * @param alarm        the alarm
 * @param cmonHostname the controller's host name (plugins build links to the web UI from it)
 */
@JsonPropertyOrder({"type", "action", "alarm", "cmon_hostname"})
record ClusterControlMessage(String type, String action, Alarm alarm,
                             @JsonProperty("cmon_hostname") String cmonHostname) {

    // A private mapper: the document must not change with the application's serialisation settings.
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");

    /**
     * The alarm map.
     *
     * @param id             the alarm id: a number when all digits (as cmon's), else a string
     * @param cid            the cluster id: the numeric {@code cid} label, else 0
     * @param cluster        the cluster's name (Tocsin's addition)
     * @param count          how many times it was raised: 1 (Tocsin deduplicates)
     * @param hostid         0: not known to Tocsin
     * @param nodeid         0: not known to Tocsin
     * @param hostname       host of the alarm, may be empty
     * @param message        full description
     * @param name           one-line summary (cmon's alarm name; Tocsin's title)
     * @param recommendation what an operator should do
     * @param severity       {@code ALARM_WARNING} or {@code ALARM_CRITICAL}
     * @param type           the alarm type code, e.g. {@code MySqlDisconnected}
     * @param component      the area of the alarm (Tocsin's addition)
     * @param alarmKey       {@code source:alarmId}, unique across sources (Tocsin's addition)
     * @param eventId        the event's id, the same on every retry (Tocsin's addition)
     */
    @JsonPropertyOrder({"id", "cid", "cluster", "count", "hostid", "nodeid", "hostname", "message", "name",
            "recommendation", "severity", "type", "component", "alarm_key", "event_id"})
    record Alarm(Object id, long cid, String cluster, int count, int hostid, int nodeid, String hostname,
                 String message, String name, String recommendation, String severity, String type, String component,
                 @JsonProperty("alarm_key") String alarmKey, @JsonProperty("event_id") String eventId) {
    }

    static ClusterControlMessage of(AlarmEvent event, String cmonHostname) {
        String action = switch (event.getStatus()) {
            case CREATED -> "new";
            case UPDATED -> "update";
            case ENDED -> "remove";
        };
        String cid = event.getLabels().get("cid");
        Alarm alarm = new Alarm(WebhookBody.of(event).id(), cid != null && NUMBER.matcher(cid).matches() ? Long.parseLong(cid) : 0,
                event.getCluster(), 1, 0, 0, event.getHostname(), event.getMessage(), event.getTitle(),
                event.getRecommendation(), "ALARM_" + event.getSeverity().name(), event.getType(), event.getComponent(),
                event.getAlarmKey(), event.getEventId());
        return new ClusterControlMessage("alarm", action, alarm, cmonHostname);
    }

    /** The document as UTF-8 JSON. */
    byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            // Strings and numbers only: cannot happen short of a broken Jackson.
            throw new IllegalStateException("cannot serialise the ClusterControl plugin message", e);
        }
    }
}
