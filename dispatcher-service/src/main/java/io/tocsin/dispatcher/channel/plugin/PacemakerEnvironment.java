package io.tocsin.dispatcher.channel.plugin;

import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment a Pacemaker alert agent gets for an alarm event. An alarm is presented as the result of a
 * one-shot {@code monitor} operation on a resource named after the alarm's type, on the alarm's host: a failed
 * monitor ({@code CRM_alert_rc=1}) when the alarm opens, a successful one ({@code rc=0}) when it ends. This is
 * the event kind the stock agents ({@code alert_file.sh}, {@code alert_smtp.sh}, {@code alert_snmp.sh}) report
 * most fully. Variables and their meaning: Pacemaker's {@code doc/sphinx/Pacemaker_Administration/alerts.rst}
 * (https://clusterlabs.org/projects/pacemaker/doc/2.1/Pacemaker_Administration/html/alerts.html); values are
 * set as {@code lib/lrmd/lrmd_alerts.c} sets them (an absent recipient is the empty string).
 *
 * <p>Tocsin's own fields, which have no Pacemaker equivalent, are added as {@code TOCSIN_*} variables.
 */
final class PacemakerEnvironment {

    static final String CRM_PREFIX = "CRM_alert_";
    static final String TOCSIN_PREFIX = "TOCSIN_";
    /** {@code CRM_alert_version}: agents check that it is set (Pacemaker 1.1.15+) before doing anything. */
    static final String VERSION = "tocsin-0.1";
    /**
     * Linux refuses to start a program with one environment string over 128 KiB (MAX_ARG_STRLEN); 32 Ki UTF-16
     * units are at most 96 KiB in UTF-8. Alarm texts are far shorter; this keeps a runaway message from making
     * the plugin impossible to start.
     */
    static final int MAX_VALUE_CHARS = 32 * 1024;

    private PacemakerEnvironment() {
    }

    /**
     * The {@code CRM_alert_*} and {@code TOCSIN_*} variables for {@code event}, in a stable order.
     *
     * @param recipient the configured recipient, "" when none
     * @param format    the {@code timestamp-format}
     */
    static Map<String, String> of(AlarmEvent event, String recipient, PacemakerTimestampFormat format) {
        boolean ended = event.getStatus() == AlarmEventStatus.ENDED;
        Instant time = event.getEventTime();
        String node = event.getHostname().isEmpty() ? event.getCluster() : event.getHostname();
        Map<String, String> env = new LinkedHashMap<>();
        put(env, "CRM_alert_kind", "resource");
        put(env, "CRM_alert_version", VERSION);
        put(env, "CRM_alert_recipient", recipient);
        put(env, "CRM_alert_node", node);
        // Pacemaker's sequence only orders one node's alerts; the event time does, and survives restarts.
        put(env, "CRM_alert_node_sequence", Long.toString(time.toEpochMilli()));
        put(env, "CRM_alert_timestamp", format.format(time));
        put(env, "CRM_alert_timestamp_epoch", Long.toString(time.getEpochSecond()));
        put(env, "CRM_alert_timestamp_usec", String.format("%06d", time.getNano() / 1000));
        put(env, "CRM_alert_rsc", event.getType());
        put(env, "CRM_alert_task", "monitor");
        put(env, "CRM_alert_interval", "0");
        put(env, "CRM_alert_desc", ended ? "Done" : event.getTitle());
        put(env, "CRM_alert_status", "0");
        put(env, "CRM_alert_rc", ended ? "0" : "1");
        put(env, "CRM_alert_target_rc", "0");
        put(env, "CRM_alert_exec_time", "0");
        put(env, "TOCSIN_ALARM_KEY", event.getAlarmKey());
        put(env, "TOCSIN_EVENT_ID", event.getEventId());
        put(env, "TOCSIN_STATUS", event.getStatus().name());
        put(env, "TOCSIN_SEVERITY", event.getSeverity().name());
        put(env, "TOCSIN_CLUSTER", event.getCluster());
        put(env, "TOCSIN_HOSTNAME", event.getHostname());
        put(env, "TOCSIN_COMPONENT", event.getComponent());
        put(env, "TOCSIN_TITLE", event.getTitle());
        put(env, "TOCSIN_MESSAGE", event.getMessage());
        put(env, "TOCSIN_RECOMMENDATION", event.getRecommendation());
        return env;
    }

    /**
     * An environment value as the OS can take it: NUL ends a C string (the JDK refuses it), so it is removed;
     * values longer than {@link #MAX_VALUE_CHARS} are cut, never inside a surrogate pair.
     */
    static String clean(String value) {
        String text = value == null ? "" : value.replace("\0", "");
        if (text.length() <= MAX_VALUE_CHARS) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_VALUE_CHARS - 1)) ? MAX_VALUE_CHARS - 1 : MAX_VALUE_CHARS;
        return text.substring(0, end);
    }

    private static void put(Map<String, String> env, String name, String value) {
        env.put(name, clean(value));
    }
}
