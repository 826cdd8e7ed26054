package io.tocsin.schema.validation;

import io.tocsin.schema.wire.FieldError;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Small field checks shared by the validators; each adds a {@link FieldError} when the check fails. */
final class Checks {

    /** Producer names, type names: safe in keys, logs and URLs; a colon would make the alarm key ambiguous. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/@-]*");

    static final int MAX_LABELS = 64;
    static final int MAX_LABEL_KEY = 128;
    static final int MAX_LABEL_VALUE = 1024;

    private Checks() {
    }

    static void required(List<FieldError> errors, String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "must not be empty"));
        } else {
            maxLength(errors, field, value, maxLength);
        }
    }

    static void name(List<FieldError> errors, String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "must not be empty"));
        } else if (!NAME.matcher(value).matches()) {
            errors.add(new FieldError(field, "may contain only letters, digits and . _ / @ - (starting with a letter or digit)"));
        } else {
            maxLength(errors, field, value, maxLength);
        }
    }

    static void maxLength(List<FieldError> errors, String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            errors.add(new FieldError(field, "must be at most " + maxLength + " characters"));
        }
        if (value != null && value.chars().anyMatch(c -> c == 0)) {
            errors.add(new FieldError(field, "must not contain NUL characters"));
        }
    }

    static void labels(List<FieldError> errors, Map<String, String> labels) {
        if (labels == null) {
            return;
        }
        if (labels.size() > MAX_LABELS) {
            errors.add(new FieldError("labels", "must have at most " + MAX_LABELS + " entries"));
        }
        labels.forEach((key, value) -> {
            if (key.isEmpty() || key.length() > MAX_LABEL_KEY) {
                errors.add(new FieldError("labels", "keys must be 1 to " + MAX_LABEL_KEY + " characters"));
            }
            maxLength(errors, "labels." + key, value, MAX_LABEL_VALUE);
        });
    }
}
