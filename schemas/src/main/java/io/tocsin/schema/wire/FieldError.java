package io.tocsin.schema.wire;

/**
 * One problem with one field of an input record.
 *
 * @param field   JSON path of the offending field, e.g. {@code state} or {@code [2].labels.dc}
 * @param message what is wrong with it, safe to show to the sender
 */
public record FieldError(String field, String message) {

    /** This error with its field placed under {@code prefix} (an array index or a parent field). */
    public FieldError under(String prefix) {
        if (prefix.isEmpty()) {
            return this;
        }
        if (field.isEmpty()) {
            return new FieldError(prefix, message);
        }
        return new FieldError(field.startsWith("[") ? prefix + field : prefix + "." + field, message);
    }

    @Override
    public String toString() {
        return (field.isEmpty() ? "(record)" : field) + ": " + message;
    }
}
