package io.tocsin.schema.wire;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A record could not be read or broke a rule of its schema. Carries every field error found, so a sender can
 * fix them all at once; the message names them.
 */
public class InvalidRecordException extends RuntimeException {

    private final transient List<FieldError> errors;

    public InvalidRecordException(List<FieldError> errors) {
        super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public InvalidRecordException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
