package io.tocsin.collector.ingest.clustercontrol;

import io.tocsin.collector.ingest.ForeignFields;
import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.collector.ingest.IngestBodies;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.Severity;
import io.tocsin.schema.validation.RawAlarmValidator;
import io.tocsin.schema.wire.FieldError;
import io.tocsin.schema.wire.InvalidRecordException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ClusterControl's alarm JSON in both of its shapes, read into raw alarms (mapping: docs/ingest-clustercontrol.md).
 *
 * <ul>
 *   <li>The plugin JSON (seed 001): {@code type} "alarm", {@code action} new/update/remove, the {@code alarm}
 *       map ({@code id}, {@code cid}, {@code severity} ALARM_WARNING/ALARM_CRITICAL, {@code type}, {@code name},
 *       ...) and {@code cmon_hostname}. Recognised by any of {@code alarm}, {@code action}, {@code cmon_hostname}.
 *       The field names of newer controllers' CmonAlarm JSON ({@code alarm_id}, {@code cluster_id},
 *       {@code severity_name}, {@code type_name}, {@code component_name}, {@code host_id}, as s9s-tools'
 *       libs9s/s9salarm.cpp documents it) are read when the older ones are absent or numeric codes.</li>
 *   <li>The webhook JSON (seed 000): {@code id}, {@code status} CREATED/ENDED, {@code component},
 *       {@code hostname}, {@code title}, {@code message}, {@code recommendation}, {@code severity}.</li>
 * </ul>
 *
 * <p>Identity: "the source is the controller; an alarm id is unique per controller and cluster" (issue 7). The
 * source is the query parameter {@code controller}, else (plugin only) the sanitised {@code cmon_hostname}; the
 * alarm id is {@code <cid>-<id>}, so two clusters' alarm 470 never collide and the same alarm has the same key
 * whichever shape brought it. The webhook JSON carries no cluster id: the query parameter {@code cid} supplies it.
 *
 * <p>Error contract: {@link #read} throws {@link InvalidRecordException} listing every bad field, named as the
 * sender wrote it ({@code alarm.severity}, {@code [1].status}; query parameters by their name, e.g.
 * {@code controller}); it returns alarms only when every one of them is valid.
 */
final class ClusterControlAlarms {

    private static final RawAlarmValidator VALIDATOR = new RawAlarmValidator();

    private ClusterControlAlarms() {
    }

    /** What the request URL adds to the payload: controller (the source), cluster id and cluster name. */
    record Target(String controller, String cid, String cluster) {
    }

    /**
     * The raw alarms of one request: one payload object or an array of them (of either shape, at most
     * {@code maxRecords}), with the query parameters {@code controller}, {@code cid} and {@code cluster}
     * (each may be null).
     */
    static List<RawAlarm> read(byte[] body, String controller, String cid, String cluster, int maxRecords) {
        ForeignFields query = new ForeignFields();
        String clusterName = cluster == null || cluster.isBlank() ? null
                : query.bounded("cluster", cluster.strip(), RawAlarmValidator.MAX_NAME);
        Target target = new Target(query.operatorName("controller", controller), query.decimal("cid", cid), clusterName);
        if (!query.errors().isEmpty()) {
            throw new InvalidRecordException(query.errors());
        }
        JsonNode root = IngestBodies.parse(body);
        boolean batch = root.isArray();
        if (batch) {
            if (root.isEmpty()) {
                throw new InvalidRecordException("", "must hold at least one alarm");
            }
            IngestBodies.requireAtMost("", root.size(), maxRecords, "alarms");
        } else if (!root.isObject()) {
            throw new InvalidRecordException("", "must be ClusterControl's plugin or webhook JSON object, or an array of them");
        }
        List<FieldError> errors = new ArrayList<>();
        Set<FieldError> requestErrors = new LinkedHashSet<>();
        List<RawAlarm> alarms = new ArrayList<>();
        for (int i = 0; i < (batch ? root.size() : 1); i++) {
            JsonNode payload = batch ? root.get(i) : root;
            String at = batch ? "[" + i + "]" : "";
            if (!payload.isObject()) {
                errors.add(new FieldError(at, "must be a JSON object"));
                continue;
            }
            ForeignFields fields = new ForeignFields();
            RawAlarm alarm = isPlugin(payload) ? plugin(payload, target, fields) : webhook(payload, target, fields, requestErrors);
            if (fields.errors().isEmpty() && requestErrors.isEmpty()) {
                // A safety net: the mapping above already keeps every field within RawAlarm's rules.
                fields.errors().addAll(VALIDATOR.validate(alarm));
                alarms.add(alarm);
            }
            fields.errors().forEach(error -> errors.add(error.under(at)));
        }
        errors.addAll(0, requestErrors);
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
        return alarms;
    }

    private static boolean isPlugin(JsonNode payload) {
        return payload.has("alarm") || payload.has("action") || payload.has("cmon_hostname");
    }

    /**
     * Seed 001: {"type": "alarm", "action": "new|update|remove", "alarm": {...}, "cmon_hostname": "..."}. Null
     * (with the error recorded) when there is no alarm map to read.
     */
    private static RawAlarm plugin(JsonNode event, Target target, ForeignFields f) {
        String eventType = f.string(event, "", "type");
        if (eventType != null && !eventType.equals("alarm")) {
            f.error("type", "must be \"alarm\": the plugin interface sends only alarm events (seed 001)");
        }
        String action = f.string(event, "", "action");
        RawAlarmState state = null;
        if (action == null) {
            f.error("action", "is required: new, update or remove");
        } else {
            state = switch (action) {
                case "new", "update" -> RawAlarmState.RAISED;
                case "remove" -> RawAlarmState.CLEARED;
                default -> {
                    f.error("action", "must be new, update or remove");
                    yield null;
                }
            };
        }
        JsonNode alarm = event.get("alarm");
        if (alarm == null || !alarm.isObject()) {
            f.error("alarm", alarm == null || alarm.isNull() ? "is required" : "must be a JSON object");
            return null;
        }
        String cmonHostname = f.string(event, "", "cmon_hostname");
        String source = target.controller() != null ? target.controller() : ForeignFields.sanitisedName(cmonHostname);
        if (source.isEmpty()) {
            f.error("cmon_hostname", "names no controller; give the controller's name in the query parameter controller");
        }
        String idField = present(alarm, "id", "alarm_id");
        String id = f.decimal(alarm, "alarm", idField);
        if (id == null && !alarm.hasNonNull(idField)) {
            f.error("alarm.id", "is required");
        }
        String cidField = present(alarm, "cid", "cluster_id");
        String cid = f.decimal(alarm, "alarm", cidField);
        if (cid == null && !alarm.hasNonNull(cidField)) {
            cid = target.cid();
            if (cid == null) {
                f.error("alarm.cid", "is required (the cluster id); or give it in the query parameter cid");
            }
        }
        // Newer controllers send numeric codes in severity and type and the names beside them.
        String severityField = numeric(alarm, "severity") ? "severity_name" : "severity";
        String typeField = numeric(alarm, "type") ? "type_name" : "type";
        String componentField = alarm.hasNonNull("component") && !numeric(alarm, "component") ? "component" : "component_name";
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("cc.cid", cid);
        labels.put("cc.hostid", f.decimal(alarm, "alarm", present(alarm, "hostid", "host_id")));
        labels.put("cc.nodeid", f.decimal(alarm, "alarm", "nodeid"));
        labels.put("cc.name", f.string(alarm, "alarm", "name"));
        labels.put("cc.source", scalar(alarm.get("source")));
        labels.put("cc.cmon_hostname", cmonHostname);
        Content content = new Content(state, source, cid, id,
                f.string(alarm, "alarm", severityField), "alarm." + severityField,
                f.string(alarm, "alarm", typeField),
                f.string(alarm, "alarm", componentField),
                f.firstString(alarm, "alarm", "title", "name"),
                f.string(alarm, "alarm", "hostname"), "alarm.hostname",
                f.string(alarm, "alarm", "message"),
                f.string(alarm, "alarm", "recommendation"), labels);
        return content.toRawAlarm(target, f);
    }

    /** Seed 000: {"id": 470, "status": "CREATED|ENDED", "component", "hostname", "title", "message", ...}. */
    private static RawAlarm webhook(JsonNode event, Target target, ForeignFields f, Set<FieldError> requestErrors) {
        String status = f.string(event, "", "status");
        RawAlarmState state = null;
        if (status == null) {
            f.error("status", "is required: CREATED or ENDED (or, for the plugin JSON, give action and alarm)");
        } else {
            // CHANGED: ClusterControl's update of an open alarm (DESIGN.md section 4); the rules tell a change from a repeat.
            state = switch (ForeignFields.upper(status)) {
                case "CREATED", "CHANGED" -> RawAlarmState.RAISED;
                case "ENDED" -> RawAlarmState.CLEARED;
                default -> {
                    f.error("status", "must be CREATED, CHANGED or ENDED");
                    yield null;
                }
            };
        }
        String id = f.decimal(event, "", "id");
        if (id == null && !event.hasNonNull("id")) {
            f.error("id", "is required");
        }
        String cid = f.decimal(event, "", "cid");
        if (cid == null && !event.hasNonNull("cid")) {
            cid = target.cid();
        }
        if (target.controller() == null) {
            requestErrors.add(new FieldError("controller", "query parameter is required: the webhook JSON does not name its controller"));
        }
        if (cid == null) {
            requestErrors.add(new FieldError("cid", "query parameter is required: the webhook JSON carries no cluster id, and alarm ids are unique only per cluster"));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("cc.cid", cid);
        Content content = new Content(state, target.controller(), cid, id,
                f.string(event, "", "severity"), "severity",
                // Seed 000's webhook JSON has no type; a string one, should a controller add it, is used.
                event.path("type").isTextual() ? event.get("type").textValue() : null,
                f.string(event, "", "component"),
                f.string(event, "", "title"),
                f.string(event, "", "hostname"), "hostname",
                f.string(event, "", "message"),
                f.string(event, "", "recommendation"), labels);
        return content.toRawAlarm(target, f);
    }

    /** The alarm's fields as read from either shape, before they become a RawAlarm. */
    private record Content(RawAlarmState state, String source, String cid, String id,
                           String severity, String severityField, String type, String component, String title,
                           String hostname, String hostnameField, String message, String recommendation,
                           Map<String, String> labels) {

        RawAlarm toRawAlarm(Target target, ForeignFields f) {
            Severity level = null;
            if (severity != null) {
                level = ClusterControlVocabulary.severity(severity).orElse(null);
                if (level == null) {
                    f.error(severityField, "must be ALARM_WARNING, ALARM_CRITICAL, WARNING or CRITICAL");
                }
            } else if (state == RawAlarmState.RAISED) {
                f.error(severityField, "is required when an alarm is raised");
            }
            String typeName = ForeignFields.sanitisedName(type);
            if (typeName.isEmpty()) {
                typeName = ClusterControlVocabulary.typeFromTitle(title);
            }
            String area = component == null || component.isBlank()
                    ? ClusterControlVocabulary.componentOfType(typeName) : ClusterControlVocabulary.component(component);
            String host = f.bounded(hostnameField, hostname == null ? "" : hostname.strip(), RawAlarmValidator.MAX_NAME);
            return RawAlarm.newBuilder()
                    .setSource(source == null ? "" : source)
                    .setAlarmId(cid == null || id == null ? "" : cid + "-" + id)
                    .setState(state == null ? RawAlarmState.CLEARED : state)
                    .setType(typeName)
                    .setSeverity(level)
                    .setComponent(ForeignFields.text(area, RawAlarmValidator.MAX_NAME))
                    .setCluster(target.cluster() != null ? target.cluster() : cid == null ? "" : cid)
                    .setHostname(host == null ? "" : host)
                    .setTitle(ForeignFields.text(title == null || title.isBlank() ? typeName : title, RawAlarmValidator.MAX_TITLE))
                    .setMessage(ForeignFields.text(message, RawAlarmValidator.MAX_MESSAGE))
                    .setRecommendation(ForeignFields.text(recommendation, RawAlarmValidator.MAX_TEXT))
                    .setTimestamp(null)
                    .setLabels(ForeignFields.boundedLabels(labels))
                    .build();
        }
    }

    /** The first of {@code names} present (not null) in {@code node}, else the first name (for the error). */
    private static String present(JsonNode node, String... names) {
        for (String name : names) {
            if (node.hasNonNull(name)) {
                return name;
            }
        }
        return names[0];
    }

    private static boolean numeric(JsonNode node, String name) {
        return node.hasNonNull(name) && node.get(name).isNumber();
    }

    private static String scalar(JsonNode node) {
        return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
    }
}
