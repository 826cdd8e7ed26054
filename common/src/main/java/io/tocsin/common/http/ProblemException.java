package io.tocsin.common.http;

import io.micronaut.http.HttpStatus;
import io.tocsin.schema.wire.FieldError;
import java.util.List;

/**
 * An API request refused with a status and a detail a person can act on, answered as problem+json by
 * {@link ProblemExceptionHandler}: 404 for an unknown id, 409 for a change that conflicts with the stored state.
 */
public class ProblemException extends RuntimeException {

    private final HttpStatus status;
    private final List<FieldError> errors;

    public ProblemException(HttpStatus status, String detail) {
        this(status, detail, null);
    }

    public ProblemException(HttpStatus status, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.errors = errors;
    }

    public HttpStatus status() {
        return status;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
