package io.tocsin.dispatcher.channel.servicenow;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.dispatcher.channel.ServiceAnswers;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.HttpOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads ServiceNow's answers (<a href="https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/reference/r_RESTAPIHTTPResponseCodes.html">REST
 * status codes</a>).
 *
 * <p>Failures go through the shared classification (429, 5xx retryable; 401/403 {@code auth}; other 4xx
 * permanent), plus ServiceNow's specifics: the error body {@code {"error":{"message":..,"detail":..},"status":"failure"}}
 * is quoted in the reason (at most 200 characters, control characters and secret values
 * removed), and a 429 without {@code Retry-After} waits until {@code X-RateLimit-Reset} (Unix seconds) when given.
 * A 2xx that lacks what the call must return (a login page of a sleeping instance, a cut body) is
 * {@link #unexpected}: retryable, because the instance is not answering as an API.
 */
final class ServiceNowAnswer {

    /** What replaces a secret value in a quoted message. */
    static final String MASK = "***";

    private ServiceNowAnswer() {
    }

    /** The result of an outcome that was not a 2xx (or had no answer). */
    static DeliveryResult failure(HttpOutcome outcome, List<String> secrets, Instant now) {
        DeliveryResult shared = outcome.result();
        if (!outcome.answered()) {
            return shared;
        }
        String message = message(ServiceAnswers.json(outcome), secrets);
        String suffix = message.isEmpty() ? "" : ": " + message;
        DeliveryResult explained = ServiceAnswers.reworded(shared, reason -> reason + suffix);
        if (explained instanceof DeliveryResult.Retryable r && r.status() == 429 && r.retryAfter().isEmpty()) {
            return new DeliveryResult.Retryable(r.failure(), r.reason(), r.status(), rateLimitReset(outcome, now));
        }
        return explained;
    }

    /** A 2xx without the record or list the call must return. */
    static DeliveryResult unexpected(HttpOutcome outcome, String what) {
        return new DeliveryResult.Retryable(Failure.SERVER, "ServiceNow answered HTTP " + outcome.status() + " without " + what,
                outcome.status(), Optional.empty());
    }

    private static String message(JsonNode body, List<String> secrets) {
        JsonNode error = body.path("error");
        String message = error.path("message").asText("").strip();
        String detail = error.path("detail").asText("").strip();
        String text = detail.isEmpty() || detail.equals(message) ? message : message + " (" + detail + ")";
        return ServiceAnswers.quote(text, secrets, MASK);
    }

    /** The wait until {@code X-RateLimit-Reset} (a rate-limit rule's next window), when the header is a Unix time. */
    private static Optional<Duration> rateLimitReset(HttpOutcome outcome, Instant now) {
        return outcome.header("X-RateLimit-Reset").map(String::strip).filter(v -> v.matches("\\d{1,12}"))
                .map(v -> Duration.between(now, Instant.ofEpochSecond(Long.parseLong(v))))
                .map(wait -> wait.isNegative() ? Duration.ZERO : wait);
    }
}
