package io.tocsin.rules.view;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.tocsin.common.http.Problem;
import jakarta.inject.Singleton;

/**
 * Answers a {@link StoreUnavailableException} as 503 problem+json with {@code Retry-After}
 * ({@code tocsin.rules.view.retry-after}), and counts it in {@code tocsin.rules.view.unavailable}: a rising count
 * outside deployments means instances keep losing their partitions.
 */
@Produces(Problem.MEDIA_TYPE)
@Singleton
public class StoreUnavailableHandler implements ExceptionHandler<StoreUnavailableException, HttpResponse<Problem>> {

    private final ViewSettings settings;
    private final MeterRegistry meters;

    public StoreUnavailableHandler(ViewSettings settings, MeterRegistry meters) {
        this.settings = settings;
        this.meters = meters;
    }

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, StoreUnavailableException exception) {
        meters.counter("tocsin.rules.view.unavailable").increment();
        return Problem.response(HttpStatus.SERVICE_UNAVAILABLE, exception.getMessage())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(settings.retryAfterSeconds()));
    }
}
