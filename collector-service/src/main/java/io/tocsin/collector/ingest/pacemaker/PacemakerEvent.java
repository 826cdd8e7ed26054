package io.tocsin.collector.ingest.pacemaker;

import io.tocsin.schema.wire.FieldError;
import io.tocsin.schema.wire.InvalidRecordException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One Pacemaker alert, read and checked from its {@code CRM_alert_*} variables (seed 004). What each kind carries
 * follows Pacemaker's senders ({@code lib/lrmd/lrmd_alerts.c}): every kind the affected node; {@code node} its new
 * state in {@code CRM_alert_desc} ({@code member} or {@code lost}); {@code fencing} the fencer's result in
 * {@code CRM_alert_rc} (0 success, a negative errno on failure); {@code resource} the resource, operation,
 * interval in ms, execution status and the actual and expected OCF return codes.
 *
 * <p>Error contract: {@link #read} throws {@link InvalidRecordException} naming every missing or malformed field
 * the kind needs; fields the kind does not use are not checked.
 *
 * @param sequence  {@code CRM_alert_node_sequence}: increases with every alert the reporting node issues; null when absent
 * @param timestamp when Pacemaker saw the event: {@code CRM_alert_timestamp_epoch} + {@code _usec}, else
 *                  {@code CRM_alert_timestamp} when it is an ISO-8601 date-time with an offset; null otherwise
 * @param reporter  {@code tocsin_reporter}: the node whose agent sent the alert (whose sequence it is); null when absent
 */
record PacemakerEvent(Kind kind, String node, String nodeId, String desc, String task, String rsc, long intervalMs,
                      Long rc, Long targetRc, Long status, Long execTimeMs, Long sequence, Instant timestamp,
                      String reporter, String attributeName) {

    /** {@code CRM_alert_kind}. */
    enum Kind {
        NODE, FENCING, RESOURCE, ATTRIBUTE;

        String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code CRM_alert_status} values (Pacemaker's {@code enum pcmk_exec_status}) the mapping distinguishes. */
    static final long STATUS_PENDING = -1;
    static final long STATUS_DONE = 0;
    static final long STATUS_CANCELLED = 1;
    static final long STATUS_TIMED_OUT = 2;

    /**
     * {@code CRM_alert_timestamp} in a {@code timestamp-format} that names the offset, e.g.
     * {@code %Y-%m-%dT%H:%M:%S.%06N%z}: Pacemaker formats local time, so a time without an offset (the default
     * {@code %H:%M:%S.%06N}, the SNMP agent's {@code %Y-%m-%d,%H:%M:%S.%01N}) cannot be placed and is not used.
     */
    private static final DateTimeFormatter OFFSET_TIMESTAMP = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendPattern("HH:mm:ss").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter(Locale.ROOT);

    /** Reads the event; see the class comment for the error contract. */
    static PacemakerEvent read(AlertFields fields) {
        List<FieldError> errors = new ArrayList<>();
        Kind kind = kind(fields, errors);
        String node = fields.required(AlertFields.NODE, errors);
        Long sequence = fields.integer(AlertFields.NODE_SEQUENCE, false, errors);
        if (sequence != null && sequence < 0) {
            errors.add(new FieldError(AlertFields.NODE_SEQUENCE, "must not be negative"));
        }
        Instant timestamp = timestamp(fields, errors);
        String desc = strip(fields.text(AlertFields.DESC));
        String task = strip(fields.text(AlertFields.TASK));
        String rsc = null;
        long interval = 0;
        Long rc = null;
        Long targetRc = null;
        Long status = null;
        Long execTime = null;
        if (kind == Kind.NODE) {
            desc = fields.required(AlertFields.DESC, errors);
            if (desc != null && !desc.equals("member") && !desc.equals("lost")) {
                errors.add(new FieldError(AlertFields.DESC, "must be member or lost for a node alert"));
            }
        } else if (kind == Kind.FENCING) {
            rc = fields.integer(AlertFields.RC, true, errors);
        } else if (kind == Kind.RESOURCE) {
            rsc = fields.required(AlertFields.RSC, errors);
            task = fields.required(AlertFields.TASK, errors);
            Long intervalMs = fields.integer(AlertFields.INTERVAL, false, errors);
            if (intervalMs != null && intervalMs < 0) {
                errors.add(new FieldError(AlertFields.INTERVAL, "must not be negative"));
            }
            interval = intervalMs == null ? 0 : Math.max(0, intervalMs);
            rc = fields.integer(AlertFields.RC, true, errors);
            targetRc = fields.integer(AlertFields.TARGET_RC, true, errors);
            status = fields.integer(AlertFields.STATUS, true, errors);
            execTime = fields.integer(AlertFields.EXEC_TIME, false, errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
        return new PacemakerEvent(kind, node, strip(fields.text(AlertFields.NODE_ID)), desc, task, rsc, interval, rc,
                targetRc, status, execTime, sequence, timestamp, blankToNull(fields.text(AlertFields.REPORTER)),
                strip(fields.text(AlertFields.ATTRIBUTE_NAME)));
    }

    private static Kind kind(AlertFields fields, List<FieldError> errors) {
        String kind = fields.required(AlertFields.KIND, errors);
        if (kind == null) {
            return null;
        }
        for (Kind known : Kind.values()) {
            if (known.text().equals(kind)) {
                return known;
            }
        }
        errors.add(new FieldError(AlertFields.KIND, "must be one of node, fencing, resource, attribute"));
        return null;
    }

    private static Instant timestamp(AlertFields fields, List<FieldError> errors) {
        Long epoch = fields.integer(AlertFields.TIMESTAMP_EPOCH, false, errors);
        Long usec = fields.integer(AlertFields.TIMESTAMP_USEC, false, errors);
        if (usec != null && (usec < 0 || usec > 999_999)) {
            errors.add(new FieldError(AlertFields.TIMESTAMP_USEC, "must be 0 to 999999 microseconds"));
            return null;
        }
        if (epoch != null) {
            if (epoch < 0 || epoch > Instant.parse("9999-12-31T23:59:59Z").getEpochSecond()) {
                errors.add(new FieldError(AlertFields.TIMESTAMP_EPOCH, "must be seconds since 1970 before the year 10000"));
                return null;
            }
            // RawAlarm timestamps are milliseconds (timestamp-millis): keep what the record can carry.
            return Instant.ofEpochSecond(epoch, (usec == null ? 0 : usec) * 1_000).truncatedTo(ChronoUnit.MILLIS);
        }
        String text = strip(fields.text(AlertFields.TIMESTAMP));
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, OFFSET_TIMESTAMP).toInstant().truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String strip(String value) {
        return value == null ? null : value.strip();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** The resource operation failed: Pacemaker's own test (execution not done, or a return code other than expected). */
    boolean operationFailed() {
        return status != STATUS_DONE || !rc.equals(targetRc);
    }
}
