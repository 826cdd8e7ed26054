package io.tocsin.dispatcher.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HttpStatusClassifierTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204, 299})
    void twoHundredsAreDelivered(int status) {
        assertThat(HttpStatusClassifier.classify(status, Optional.empty(), NOW)).isInstanceOf(DeliveryResult.Delivered.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 307, 308})
    void redirectsArePermanentBecauseTheyAreNotFollowed(int status) {
        assertThat(HttpStatusClassifier.classify(status, Optional.empty(), NOW))
                .isEqualTo(new DeliveryResult.Permanent(DeliveryResult.Failure.CONFIG, "HTTP " + status + " (redirects are not followed)", status));
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 405, 410, 413, 415, 422})
    void otherClientErrorsArePermanent(int status) {
        assertThat(HttpStatusClassifier.classify(status, Optional.empty(), NOW))
                .isEqualTo(new DeliveryResult.Permanent(DeliveryResult.Failure.CLIENT, "HTTP " + status, status));
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void authenticationRefusalsArePermanentAuthFailures(int status) {
        assertThat(HttpStatusClassifier.classify(status, Optional.empty(), NOW))
                .isEqualTo(new DeliveryResult.Permanent(DeliveryResult.Failure.AUTH, "HTTP " + status, status));
    }

    @ParameterizedTest
    @ValueSource(ints = {425, 500, 502, 503, 504})
    void tooEarlyAndServerErrorsAreRetryable(int status) {
        assertThat(HttpStatusClassifier.classify(status, Optional.empty(), NOW))
                .isEqualTo(new DeliveryResult.Retryable(status == 425 ? DeliveryResult.Failure.CLIENT : DeliveryResult.Failure.SERVER,
                        "HTTP " + status, status, Optional.empty()));
    }

    @Test
    void requestTimeoutAndTooManyRequestsAreRetryableWithTheirOwnReason() {
        assertThat(HttpStatusClassifier.classify(408, Optional.empty(), NOW))
                .isEqualTo(new DeliveryResult.Retryable(DeliveryResult.Failure.TIMEOUT, "HTTP 408", 408, Optional.empty()));
        assertThat(HttpStatusClassifier.classify(429, Optional.empty(), NOW))
                .isEqualTo(new DeliveryResult.Retryable(DeliveryResult.Failure.RATE_LIMITED, "HTTP 429", 429, Optional.empty()));
    }

    @Test
    void retryAfterInSecondsIsKept() {
        assertThat(HttpStatusClassifier.classify(429, Optional.of("120"), NOW))
                .isEqualTo(new DeliveryResult.Retryable(DeliveryResult.Failure.RATE_LIMITED, "HTTP 429", 429, Optional.of(Duration.ofSeconds(120))));
    }

    @Test
    void retryAfterAsHttpDateIsTheWaitUntilThen() {
        assertThat(HttpStatusClassifier.classify(429, Optional.of("Sun, 01 Jun 2025 12:01:30 GMT"), NOW))
                .isEqualTo(new DeliveryResult.Retryable(DeliveryResult.Failure.RATE_LIMITED, "HTTP 429", 429, Optional.of(Duration.ofSeconds(90))));
    }

    @Test
    void retryAfterInThePastMeansNoWait() {
        assertThat(HttpStatusClassifier.classify(503, Optional.of("Sun, 01 Jun 2025 11:00:00 GMT"), NOW))
                .isEqualTo(new DeliveryResult.Retryable(DeliveryResult.Failure.SERVER, "HTTP 503", 503, Optional.of(Duration.ZERO)));
    }

    @Test
    void malformedRetryAfterIsIgnoredButStillRetryable() {
        assertThat(HttpStatusClassifier.classify(503, Optional.of("soon"), NOW))
                .isEqualTo(new DeliveryResult.Retryable(DeliveryResult.Failure.SERVER, "HTTP 503", 503, Optional.empty()));
        assertThat(HttpStatusClassifier.classify(503, Optional.of("-5"), NOW))
                .isEqualTo(new DeliveryResult.Retryable(DeliveryResult.Failure.SERVER, "HTTP 503", 503, Optional.empty()));
    }

    @Test
    void retryAfterOnAPermanentAnswerChangesNothing() {
        assertThat(HttpStatusClassifier.classify(404, Optional.of("10"), NOW)).isEqualTo(new DeliveryResult.Permanent(DeliveryResult.Failure.CLIENT, "HTTP 404", 404));
    }
}
