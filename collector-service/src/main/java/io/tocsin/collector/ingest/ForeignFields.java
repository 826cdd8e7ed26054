package io.tocsin.collector.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tocsin.schema.validation.RawAlarmValidator;
import io.tocsin.schema.wire.FieldError;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads another monitor's JSON (ClusterControl, Alertmanager) field by field into {@code RawAlarm} values.
 *
 * <p>Error contract: nothing here throws on bad input. Every problem is recorded as a {@link FieldError} naming
 * the field as the sender wrote it (e.g. {@code alarm.severity}, {@code alerts[2].labels.alertname}), so one
 * 400 answer lists all of them; the caller throws once {@link #errors()} is not empty.
 *
 * <p>Foreign senders cannot change what they send, so the RawAlarm bounds are applied the forgiving way where
 * that loses nothing essential: free text is truncated ({@link #text(String, int)}), names are sanitised to the
 * RawAlarm name alphabet ({@link #sanitisedName(String)}), and labels beyond the bounds are dropped
 * ({@link #boundedLabels(Map)}). Identity fields (ids, sources given by the operator) are never repaired: a
 * wrong one is an error.
 */
public final class ForeignFields {

    /** RawAlarm's name alphabet (source, type): the rule of {@code RawAlarmValidator}, see RawAlarm.avsc. */
    public static final Pattern NAME = RawAlarmValidator.NAME;
    /** Label bounds of {@code RawAlarmValidator} (64 entries, keys up to 128, values up to 1024 characters). */
    public static final int MAX_LABELS = RawAlarmValidator.MAX_LABELS;
    public static final int MAX_LABEL_KEY = RawAlarmValidator.MAX_LABEL_KEY;
    public static final int MAX_LABEL_VALUE = RawAlarmValidator.MAX_LABEL_VALUE;

    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,40}");
    private static final Pattern NOT_NAME = Pattern.compile("[^A-Za-z0-9._/@-]+");

    private final List<FieldError> errors = new ArrayList<>();

    /** Every problem found so far, in the order found. */
    public List<FieldError> errors() {
        return errors;
    }

    public void error(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    /** {@code parent.name} as a string; null when absent or JSON null; an error when present but not a string. */
    public String string(JsonNode parent, String path, String name) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            error(join(path, name), "must be a string");
            return null;
        }
        return node.textValue();
    }

    /** The first of {@code names} present in {@code parent}, read as {@link #string}; null when none is. */
    public String firstString(JsonNode parent, String path, String... names) {
        for (String name : names) {
            if (parent.hasNonNull(name)) {
                return string(parent, path, name);
            }
        }
        return null;
    }

    /**
     * {@code parent.name} as a non-negative integer given as a JSON number or a string of digits, returned as its
     * canonical decimal text (no leading zeros); null when absent. ClusterControl's alarm ids are unsigned 64-bit
     * numbers (seed 001 shows 10736685724696984427, beyond a signed long), so the text is kept, never a long.
     */
    public String decimal(JsonNode parent, String path, String name) {
        return decimal(join(path, name), parent.get(name));
    }

    /** A query parameter as a non-negative integer, as {@link #decimal(JsonNode, String, String)}; null when absent. */
    public String decimal(String field, String text) {
        return text == null ? null : decimal(field, TextNode.valueOf(text));
    }

    private String decimal(String field, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        BigInteger value = null;
        if (node.isIntegralNumber()) {
            value = node.bigIntegerValue();
        } else if (node.isTextual() && DECIMAL.matcher(node.textValue()).matches()) {
            value = new BigInteger(node.textValue());
        }
        if (value == null || value.signum() < 0) {
            error(field, "must be a non-negative integer (a JSON number or a string of digits)");
            return null;
        }
        return value.toString();
    }

    /**
     * A name given by the operator (a query parameter such as {@code controller} or {@code source}): kept as it
     * is when it fits the RawAlarm name alphabet, an error naming {@code field} otherwise. Null when absent.
     */
    public String operatorName(String field, String value) {
        if (value == null) {
            return null;
        }
        if (!NAME.matcher(value).matches() || value.length() > RawAlarmValidator.MAX_SOURCE) {
            error(field, "must be 1 to " + RawAlarmValidator.MAX_SOURCE
                    + " letters, digits and . _ / @ - (starting with a letter or digit)");
            return null;
        }
        return value;
    }

    /** A free-text field, or a host name, refused (not cut) when longer than {@code max}; null stays null. */
    public String bounded(String field, String value, int max) {
        if (value != null && value.length() > max) {
            error(field, "must be at most " + max + " characters");
            return null;
        }
        return value;
    }

    /**
     * {@code value} in the RawAlarm name alphabet: every run of other characters becomes one {@code -}, leading
     * characters that are not letters or digits are dropped, and it is cut to 128 characters. Empty (nothing
     * usable) when {@code value} is null or has no letter or digit. Used for names taken from a payload (a
     * controller's host name, an Alertmanager's host, an alert name), where refusing would lose the alarm.
     */
    public static String sanitisedName(String value) {
        if (value == null) {
            return "";
        }
        String name = NOT_NAME.matcher(value.strip()).replaceAll("-");
        int start = 0;
        while (start < name.length() && !Character.isLetterOrDigit(name.charAt(start))) {
            start++;
        }
        name = name.substring(start);
        return name.length() > RawAlarmValidator.MAX_SOURCE ? name.substring(0, RawAlarmValidator.MAX_SOURCE) : name;
    }

    /** {@code value} cut to {@code max} characters (null as empty): free text must not cost the alarm. */
    public static String text(String value, int max) {
        if (value == null) {
            return "";
        }
        if (value.length() <= max) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(max - 2)) ? max - 2 : max - 1;
        return value.substring(0, end) + "…";
    }

    /**
     * The labels within RawAlarm's bounds: entries with empty values and keys longer than 128 characters are
     * dropped, values cut to 1024 characters, and at most 64 entries kept, the first in key order (so the same
     * input always keeps the same labels: labels are part of an alarm's content, and a changing set would look
     * like an update).
     */
    public static Map<String, String> boundedLabels(Map<String, String> labels) {
        Map<String, String> bounded = new TreeMap<>();
        new TreeMap<>(labels).forEach((key, value) -> {
            if (bounded.size() < MAX_LABELS && !key.isEmpty() && key.length() <= MAX_LABEL_KEY
                    && value != null && !value.isEmpty()) {
                bounded.put(key, text(value, MAX_LABEL_VALUE));
            }
        });
        return bounded;
    }

    /** Upper case for matching a foreign enum value, whatever the sender's locale. */
    public static String upper(String value) {
        return value.strip().toUpperCase(Locale.ROOT);
    }

    /** {@code path.name}, or {@code name} at the top level. */
    public static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
