package io.tocsin.rules.view;

import io.tocsin.schema.wire.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reading the view's query parameters: lists given comma-separated or repeated, booleans and bounded integers.
 * Every problem is added to {@code errors} naming the parameter, so one 400 lists them all.
 */
public final class QueryParameters {

    /** The longest single value (a host name, a type, a free-text query). */
    public static final int MAX_LENGTH = 256;
    /** The most values one list parameter may have. */
    public static final int MAX_VALUES = 50;

    private QueryParameters() {
    }

    /** The values of a list parameter, split on commas and trimmed, empty ones dropped; empty when absent. */
    public static List<String> list(String name, List<String> raw, List<FieldError> errors) {
        List<String> values = new ArrayList<>();
        if (raw == null) {
            return values;
        }
        for (String part : raw) {
            for (String value : part.split(",")) {
                String trimmed = value.strip();
                if (trimmed.length() > MAX_LENGTH) {
                    errors.add(new FieldError(name, "a value must be at most " + MAX_LENGTH + " characters"));
                    return List.of();
                }
                if (!trimmed.isEmpty()) {
                    values.add(trimmed);
                }
            }
        }
        if (values.size() > MAX_VALUES) {
            errors.add(new FieldError(name, "at most " + MAX_VALUES + " values"));
            return List.of();
        }
        return values;
    }

    /** {@code true} or {@code false} (any case), or null when absent. */
    public static Boolean bool(String name, String raw, List<FieldError> errors) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> {
                errors.add(new FieldError(name, "must be true or false, not '" + abbreviate(raw) + "'"));
                yield null;
            }
        };
    }

    /** A whole number in [{@code min}, {@code max}], {@code fallback} when absent. */
    public static int integer(String name, String raw, int fallback, int min, int max, List<FieldError> errors) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below with the range, the same as an out-of-range number.
        }
        errors.add(new FieldError(name, max == Integer.MAX_VALUE ? "must be a whole number of at least " + min
                : "must be a whole number from " + min + " to " + max));
        return fallback;
    }

    /** A free-text value, trimmed; null when absent. */
    public static String text(String name, String raw, List<FieldError> errors) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        if (raw.length() > MAX_LENGTH) {
            errors.add(new FieldError(name, "must be at most " + MAX_LENGTH + " characters"));
            return null;
        }
        return raw.strip();
    }

    static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
