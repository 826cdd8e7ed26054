package io.tocsin.common.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.serde.annotation.Serdeable;
import io.tocsin.schema.wire.FieldError;
import java.util.List;

/**
 * An RFC 7807 problem document ({@code application/problem+json}). {@code errors} names every offending field
 * of a rejected input, with its JSON path ({@code state}, {@code [2].title}; {@code body} for the body as a
 * whole).
 */
@Serdeable
public record Problem(String type, String title, int status, @Nullable String detail, @Nullable List<Field> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One offending field. */
    @Serdeable
    public record Field(String field, String message) {

        static Field of(FieldError error) {
            return new Field(error.field().isEmpty() ? "body" : error.field(), error.message());
        }
    }

    public static MutableHttpResponse<Problem> response(HttpStatus status, String detail) {
        return response(status, detail, null);
    }

    public static MutableHttpResponse<Problem> response(HttpStatus status, String detail, @Nullable List<FieldError> errors) {
        List<Field> fields = errors == null ? null : errors.stream().map(Field::of).toList();
        Problem problem = new Problem("about:blank", status.getReason(), status.getCode(), detail, fields);
        return HttpResponse.<Problem>status(status).body(problem).contentType(MEDIA_TYPE);
    }
}
