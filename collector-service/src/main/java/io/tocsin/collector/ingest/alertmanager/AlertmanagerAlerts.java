package io.tocsin.collector.ingest.alertmanager;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.collector.ingest.IngestBodies;
import io.tocsin.collector.ingest.ForeignFields;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.Severity;
import io.tocsin.schema.validation.RawAlarmValidator;
import io.tocsin.schema.wire.FieldError;
import io.tocsin.schema.wire.InvalidRecordException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Alertmanager's webhook payload, version 4 (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config),
 * read into one raw alarm per alert (mapping: docs/ingest-alertmanager.md).
 *
 * <p>Identity: the source names the Alertmanager (query parameter {@code source}, else the sanitised host of
 * {@code externalURL}), the alarm id is the alert's {@code fingerprint} (a hash of its label set, the same in the
 * firing and the resolved notification and across the replicas of an HA Alertmanager).
 *
 * <p>Error contract: {@link #read} throws {@link InvalidRecordException} listing every bad field, named as sent
 * ({@code version}, {@code alerts[2].labels.alertname}); it returns alarms only when every alert is valid.
 */
final class AlertmanagerAlerts {

    /** Go's zero time: what Alertmanager sends as endsAt of an alert whose end is not known. */
    private static final int GO_ZERO_YEAR = 1;
    private static final RawAlarmValidator VALIDATOR = new RawAlarmValidator();

    private final AlertmanagerSettings settings;
    private final int maxAlerts;

    AlertmanagerAlerts(AlertmanagerSettings settings, int maxAlerts) {
        this.settings = settings;
        this.maxAlerts = maxAlerts;
    }

    /** The alarms of one notification, and the count of alerts Alertmanager left out ({@code max_alerts}). */
    record Notification(List<RawAlarm> alarms, long truncatedAlerts) {
    }

    Notification read(byte[] body, String sourceParameter) {
        ForeignFields f = new ForeignFields();
        String source = f.operatorName("source", sourceParameter);
        JsonNode root = IngestBodies.parse(body);
        if (!root.isObject()) {
            throw new InvalidRecordException("", "must be Alertmanager's webhook JSON object (version 4)");
        }
        String version = f.string(root, "", "version");
        if (!"4".equals(version)) {
            // Another version may mean other fields: refuse it rather than guess.
            f.error("version", version == null ? "is required and must be \"4\"" : "must be \"4\" (webhook payload version 4), was \"" + ForeignFields.text(version, 20) + "\"");
            throw new InvalidRecordException(f.errors());
        }
        if (source == null && f.errors().isEmpty()) {
            source = ForeignFields.sanitisedName(host(f.string(root, "", "externalURL")));
            if (source.isEmpty()) {
                f.error("externalURL", "has no host name to name this Alertmanager; give the query parameter source");
            }
        }
        JsonNode alerts = root.get("alerts");
        if (alerts == null || !alerts.isArray() || alerts.isEmpty()) {
            f.error("alerts", "must be a non-empty array");
        } else if (alerts.size() > maxAlerts) {
            IngestBodies.requireAtMost("alerts", alerts.size(), maxAlerts, "alerts");
        }
        JsonNode truncated = root.get("truncatedAlerts");
        long truncatedAlerts = truncated != null && truncated.canConvertToLong() ? Math.max(0, truncated.asLong()) : 0;
        if (!f.errors().isEmpty()) {
            throw new InvalidRecordException(f.errors());
        }
        List<FieldError> errors = new ArrayList<>();
        List<RawAlarm> alarms = new ArrayList<>(alerts.size());
        for (int i = 0; i < alerts.size(); i++) {
            String at = "alerts[" + i + "]";
            JsonNode alert = alerts.get(i);
            if (!alert.isObject()) {
                errors.add(new FieldError(at, "must be a JSON object"));
                continue;
            }
            ForeignFields fields = new ForeignFields();
            RawAlarm alarm = alarm(alert, source, fields);
            if (fields.errors().isEmpty()) {
                // A safety net: the mapping already keeps every field within RawAlarm's rules.
                fields.errors().addAll(VALIDATOR.validate(alarm));
            }
            fields.errors().forEach(error -> errors.add(error.under(at)));
            alarms.add(alarm);
        }
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
        return new Notification(alarms, truncatedAlerts);
    }

    private RawAlarm alarm(JsonNode alert, String source, ForeignFields f) {
        String status = f.string(alert, "", "status");
        RawAlarmState state = null;
        if ("firing".equals(status)) {
            state = RawAlarmState.RAISED;
        } else if ("resolved".equals(status)) {
            state = RawAlarmState.CLEARED;
        } else {
            f.error("status", status == null ? "is required: firing or resolved" : "must be firing or resolved");
        }
        String fingerprint = f.string(alert, "", "fingerprint");
        if (fingerprint == null || fingerprint.isBlank()) {
            f.error("fingerprint", "is required: it is the alarm id");
        }
        Map<String, String> labels = stringMap(alert, "labels", f);
        Map<String, String> annotations = stringMap(alert, "annotations", f);
        String alertname = labels.get("alertname");
        String type = ForeignFields.sanitisedName(alertname);
        if (state == RawAlarmState.RAISED && type.isEmpty()) {
            f.error("labels.alertname", alertname == null ? "is required for a firing alert: it is the alarm type"
                    : "has no letter or digit to make an alarm type of");
        }
        String component = first(labels, "component") != null ? labels.get("component") : settings.defaultComponent();
        String cluster = f.bounded("labels.cluster", labels.getOrDefault("cluster", ""), RawAlarmValidator.MAX_NAME);
        String hostLabel = first(labels, "instance", "host", "hostname");
        String hostname = f.bounded("labels." + (hostLabel == null ? "instance" : hostLabel),
                hostLabel == null ? "" : hostWithoutPort(labels.get(hostLabel)), RawAlarmValidator.MAX_NAME);
        String title = first(annotations, "summary") != null ? annotations.get("summary") : alertname;
        String message = annotations.getOrDefault("description", annotations.get("message"));
        String recommendation = annotations.getOrDefault("runbook_url", annotations.get("runbook"));
        String timeField = state == RawAlarmState.CLEARED ? "endsAt" : "startsAt";
        Instant timestamp = time(f, timeField, f.string(alert, "", timeField));
        Map<String, String> kept = new LinkedHashMap<>(labels);
        String generatorUrl = f.string(alert, "", "generatorURL");
        if (generatorUrl != null && generatorUrl.length() <= ForeignFields.MAX_LABEL_VALUE) {
            kept.put("alertmanager.generatorURL", generatorUrl);
        }
        return RawAlarm.newBuilder()
                .setSource(source)
                .setAlarmId(fingerprint == null ? "" : fingerprint)
                .setState(state == null ? RawAlarmState.CLEARED : state)
                .setType(type)
                .setSeverity(settings.isCritical(labels.get("severity")) ? Severity.CRITICAL : Severity.WARNING)
                .setComponent(ForeignFields.text(component, RawAlarmValidator.MAX_NAME))
                .setCluster(cluster == null ? "" : cluster)
                .setHostname(hostname == null ? "" : hostname)
                .setTitle(ForeignFields.text(title, RawAlarmValidator.MAX_TITLE))
                .setMessage(ForeignFields.text(message, RawAlarmValidator.MAX_MESSAGE))
                .setRecommendation(ForeignFields.text(recommendation, RawAlarmValidator.MAX_TEXT))
                .setTimestamp(timestamp)
                .setLabels(ForeignFields.boundedLabels(kept))
                .build();
    }

    /** An object of strings ({@code labels}, {@code annotations}); empty when absent, errors for non-strings. */
    private static Map<String, String> stringMap(JsonNode alert, String name, ForeignFields f) {
        Map<String, String> map = new LinkedHashMap<>();
        JsonNode node = alert.get(name);
        if (node == null || node.isNull()) {
            return map;
        }
        if (!node.isObject()) {
            f.error(name, "must be an object of strings");
            return map;
        }
        node.properties().forEach(entry -> {
            String value = f.string(node, name, entry.getKey());
            if (value != null) {
                map.put(entry.getKey(), value);
            }
        });
        return map;
    }

    private static String first(Map<String, String> map, String... keys) {
        for (String key : keys) {
            String value = map.get(key);
            if (value != null && !value.isBlank()) {
                return key;
            }
        }
        return null;
    }

    /** {@code startsAt}/{@code endsAt}: RFC 3339 (Go's, up to nanoseconds, any offset); Go's zero time is no time. */
    private static Instant time(ForeignFields f, String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            OffsetDateTime time = OffsetDateTime.parse(value.strip(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            return time.getYear() <= GO_ZERO_YEAR ? null : time.toInstant();
        } catch (DateTimeParseException e) {
            f.error(field, "must be an RFC 3339 time, e.g. 2026-11-20T10:00:00Z");
            return null;
        }
    }

    /** The host of {@code externalURL}, without IPv6 brackets; null when it has none. */
    static String host(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            String host = new URI(url.strip()).getHost();
            return host == null ? null : host.replace("[", "").replace("]", "");
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /**
     * The host of a Prometheus target label: {@code db1:9100} gives {@code db1}, {@code [::1]:9100} and
     * {@code [::1]} give {@code ::1}, a bare IPv6 address ({@code fe80::1}, more than one colon) is kept, and a
     * URL (blackbox probes use the probed URL as {@code instance}) gives its host.
     */
    static String hostWithoutPort(String value) {
        String text = value.strip();
        if (text.contains("://")) {
            String host = host(text);
            return host == null ? text : host;
        }
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            return close > 1 ? text.substring(1, close) : text;
        }
        int colon = text.indexOf(':');
        if (colon > 0 && colon == text.lastIndexOf(':')) {
            return text.substring(0, colon);
        }
        return text;
    }
}
