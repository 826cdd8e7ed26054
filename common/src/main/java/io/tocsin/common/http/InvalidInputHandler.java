package io.tocsin.common.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.tocsin.schema.wire.InvalidRecordException;
import jakarta.inject.Singleton;

/** Input that fails its schema or rules: 400 problem+json naming each offending field. */
@Produces(Problem.MEDIA_TYPE)
@Singleton
@Requires(classes = {InvalidRecordException.class, ExceptionHandler.class})
public class InvalidInputHandler implements ExceptionHandler<InvalidRecordException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, InvalidRecordException exception) {
        String detail = exception.errors().size() == 1
                ? "The request has an invalid field: " + exception.errors().getFirst()
                : "The request has " + exception.errors().size() + " invalid fields";
        return Problem.response(HttpStatus.BAD_REQUEST, detail, exception.errors());
    }
}
