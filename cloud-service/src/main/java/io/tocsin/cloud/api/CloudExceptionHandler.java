package io.tocsin.cloud.api;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.common.http.Problem;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a provider call that failed, for every cloud endpoint, as problem+json whose status says what the caller
 * can do: {@code DENIED} 422 (fix the credential or its permissions), {@code NOT_FOUND} 404, {@code INVALID} 400,
 * {@code UNAVAILABLE} 503 with {@code Retry-After} (try again). The detail is the exception's message, which by
 * {@link CloudException}'s contract names the operation and the provider's error and never a secret.
 */
@Produces(Problem.MEDIA_TYPE)
@Singleton
public class CloudExceptionHandler implements ExceptionHandler<CloudException, HttpResponse<Problem>> {

    private static final Logger LOG = LoggerFactory.getLogger(CloudExceptionHandler.class);
    /** Seconds: long enough for a throttled API to recover, short enough for a person retrying by hand. */
    static final String RETRY_AFTER_SECONDS = "10";

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, CloudException exception) {
        HttpStatus status = status(exception.kind());
        if (exception.kind() == CloudException.Kind.UNAVAILABLE) {
            // The caller's fault otherwise; this one an operator may want to see (provider or network trouble).
            LOG.warn("{} {}: the provider is unavailable: {}", request.getMethod(), request.getPath(), exception.getMessage());
            return Problem.response(status, exception.getMessage()).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        return Problem.response(status, exception.getMessage());
    }

    static HttpStatus status(CloudException.Kind kind) {
        return switch (kind) {
            case DENIED -> HttpStatus.UNPROCESSABLE_ENTITY;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case INVALID -> HttpStatus.BAD_REQUEST;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
        };
    }
}
