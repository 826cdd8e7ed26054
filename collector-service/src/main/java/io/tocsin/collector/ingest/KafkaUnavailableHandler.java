package io.tocsin.collector.ingest;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.tocsin.common.http.Problem;
import jakarta.inject.Singleton;

/** 503 problem+json with {@code Retry-After}: the sender should retry; retries are deduplicated downstream. */
@Produces(Problem.MEDIA_TYPE)
@Singleton
public class KafkaUnavailableHandler implements ExceptionHandler<KafkaUnavailableException, HttpResponse<Problem>> {

    private final String retryAfterSeconds;

    public KafkaUnavailableHandler(IngestSettings settings) {
        this.retryAfterSeconds = Long.toString(Math.max(1, settings.retryAfter().toSeconds()));
    }

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, KafkaUnavailableException exception) {
        return Problem.response(HttpStatus.SERVICE_UNAVAILABLE,
                        "Kafka did not acknowledge the request in time, so nothing is reported accepted; retry after "
                                + retryAfterSeconds + " s (a repeated alarm is deduplicated)")
                .header("Retry-After", retryAfterSeconds);
    }
}
