package io.tocsin.collector.ingest.pacemaker;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.MediaType;
import io.tocsin.collector.ingest.IngestBodies;
import io.tocsin.schema.wire.FieldError;
import io.tocsin.schema.wire.InvalidRecordException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of one Pacemaker alert as a request carries them: the {@code CRM_alert_*} environment of the alert
 * agent (seed 004, "Environment variables passed to alert agents") plus Tocsin's own {@code tocsin_source},
 * {@code tocsin_cluster} and {@code tocsin_reporter}, either as one JSON object of strings (numbers are taken as
 * their text) or as {@code application/x-www-form-urlencoded} fields with the same names.
 *
 * <p>Error contract: {@link #read} throws {@link InvalidRecordException} (400 problem+json) naming every bad field:
 * a body that is empty, not one JSON object or not valid form encoding; more than {@code maxFields} fields; a field
 * given twice; a value that is not a string; a value too long or holding NUL; a field that is neither a
 * {@code CRM_alert_*} variable nor one of Tocsin's. {@code CRM_alert_*} variables this version does not know are
 * accepted and ignored, so a newer Pacemaker that adds one does not break its agent.
 */
final class AlertFields {

    static final String KIND = "CRM_alert_kind";
    static final String NODE = "CRM_alert_node";
    static final String NODE_ID = "CRM_alert_nodeid";
    static final String NODE_SEQUENCE = "CRM_alert_node_sequence";
    static final String RECIPIENT = "CRM_alert_recipient";
    static final String TIMESTAMP = "CRM_alert_timestamp";
    static final String TIMESTAMP_EPOCH = "CRM_alert_timestamp_epoch";
    static final String TIMESTAMP_USEC = "CRM_alert_timestamp_usec";
    static final String VERSION = "CRM_alert_version";
    static final String DESC = "CRM_alert_desc";
    static final String RC = "CRM_alert_rc";
    static final String TASK = "CRM_alert_task";
    static final String EXEC_TIME = "CRM_alert_exec_time";
    static final String INTERVAL = "CRM_alert_interval";
    static final String RSC = "CRM_alert_rsc";
    static final String STATUS = "CRM_alert_status";
    static final String TARGET_RC = "CRM_alert_target_rc";
    static final String ATTRIBUTE_NAME = "CRM_alert_attribute_name";
    static final String ATTRIBUTE_VALUE = "CRM_alert_attribute_value";
    static final String SOURCE = "tocsin_source";
    static final String CLUSTER = "tocsin_cluster";
    static final String REPORTER = "tocsin_reporter";

    /** Every variable Pacemaker passes to an alert agent (lib/common/alerts.c, pcmk__alert_keys). */
    static final List<String> CRM_ALERT_VARIABLES = List.of(KIND, NODE, NODE_ID, NODE_SEQUENCE, RECIPIENT, TIMESTAMP,
            TIMESTAMP_EPOCH, TIMESTAMP_USEC, VERSION, DESC, RC, TASK, EXEC_TIME, INTERVAL, RSC, STATUS, TARGET_RC,
            ATTRIBUTE_NAME, ATTRIBUTE_VALUE);
    static final List<String> TOCSIN_FIELDS = List.of(SOURCE, CLUSTER, REPORTER);
    static final String CRM_PREFIX = "CRM_alert_";

    /** Fields that end up in names (alarm ids, host names, labels): as long as a name may be. */
    private static final Set<String> NAMES = Set.of(KIND, NODE, NODE_ID, NODE_SEQUENCE, RSC, TASK, INTERVAL, RC,
            TARGET_RC, STATUS, EXEC_TIME, TIMESTAMP_EPOCH, TIMESTAMP_USEC, VERSION, ATTRIBUTE_NAME, SOURCE, CLUSTER, REPORTER);
    static final int MAX_NAME = 256;
    static final int MAX_VALUE = 4096;
    private static final int MAX_FIELD_NAME = 64;

    private final Map<String, String> values;

    private AlertFields(Map<String, String> values) {
        this.values = values;
    }

    /** Reads the body as JSON or as form fields, by its content type. */
    static AlertFields read(byte[] body, MediaType contentType, int maxFields) {
        if (body == null || body.length == 0) {
            throw new InvalidRecordException("", "is empty; expected the CRM_alert_* variables as a JSON object or form fields");
        }
        boolean form = contentType != null && MediaType.APPLICATION_FORM_URLENCODED_TYPE.matches(contentType);
        Map<String, String> values = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        if (form) {
            readForm(body, maxFields, values, errors);
        } else {
            readJson(body, maxFields, values, errors);
        }
        values.forEach((name, value) -> check(name, value, errors));
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
        return new AlertFields(values);
    }

    private static void readJson(byte[] body, int maxFields, Map<String, String> values, List<FieldError> errors) {
        JsonNode root = IngestBodies.parse(body);
        if (!root.isObject()) {
            throw new InvalidRecordException("", "must be a JSON object of CRM_alert_* variables, e.g. {\"CRM_alert_kind\":\"node\", ...}");
        }
        IngestBodies.requireAtMost("", root.size(), maxFields, "fields");
        root.properties().forEach(entry -> {
            JsonNode value = entry.getValue();
            if (value.isTextual() || value.isIntegralNumber()) {
                values.put(entry.getKey(), value.asText());
            } else if (!value.isNull()) {
                errors.add(new FieldError(fieldName(entry.getKey()), "must be a string"));
            }
        });
    }

    /** {@code name=value} pairs joined by {@code &}, percent-encoded, {@code +} for a space (the HTML form encoding curl sends). */
    private static void readForm(byte[] body, int maxFields, Map<String, String> values, List<FieldError> errors) {
        String text = new String(body, StandardCharsets.UTF_8);
        String[] pairs = text.split("&", -1);
        long count = java.util.Arrays.stream(pairs).filter(pair -> !pair.isEmpty()).count();
        IngestBodies.requireAtMost("", (int) Math.min(count, Integer.MAX_VALUE), maxFields, "fields");
        for (String pair : pairs) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String rawName = equals < 0 ? pair : pair.substring(0, equals);
            String rawValue = equals < 0 ? "" : pair.substring(equals + 1);
            String name;
            try {
                name = URLDecoder.decode(rawName, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("", "has a field name that is not valid form encoding"));
                continue;
            }
            try {
                String value = URLDecoder.decode(rawValue, StandardCharsets.UTF_8);
                if (values.putIfAbsent(name, value) != null) {
                    errors.add(new FieldError(fieldName(name), "is given more than once"));
                }
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(fieldName(name), "is not valid form encoding: " + e.getMessage()));
            }
        }
    }

    private static void check(String name, String value, List<FieldError> errors) {
        String field = fieldName(name);
        if (!name.startsWith(CRM_PREFIX) && !TOCSIN_FIELDS.contains(name)) {
            errors.add(new FieldError(field, "is not a Pacemaker alert field (CRM_alert_* variables, "
                    + String.join(", ", TOCSIN_FIELDS) + ")"));
            return;
        }
        int max = NAMES.contains(name) ? MAX_NAME : MAX_VALUE;
        if (value.length() > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters"));
        }
        if (value.indexOf('\0') >= 0) {
            errors.add(new FieldError(field, "must not contain NUL characters"));
        }
    }

    /** The name as an error may quote it: an overlong name is cut, so a hostile field name cannot bloat the answer. */
    private static String fieldName(String name) {
        return name.length() <= MAX_FIELD_NAME ? name : name.substring(0, MAX_FIELD_NAME) + "...";
    }

    /** The value of {@code field}, or null when the request does not carry it. */
    String text(String field) {
        return values.get(field);
    }

    /** The value of {@code field}, stripped; an error when it is absent or blank. */
    String required(String field, List<FieldError> errors) {
        String value = values.get(field);
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        return value.strip();
    }

    /** The integer value of {@code field}; null when absent (an error if {@code required}) or not an integer (an error). */
    Long integer(String field, boolean required, List<FieldError> errors) {
        String value = values.get(field);
        if (value == null || value.isBlank()) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            errors.add(new FieldError(field, "must be an integer"));
            return null;
        }
    }
}
