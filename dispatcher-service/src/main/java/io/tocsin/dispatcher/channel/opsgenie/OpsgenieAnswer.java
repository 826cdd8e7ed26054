package io.tocsin.dispatcher.channel.opsgenie;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.dispatcher.channel.ServiceAnswers;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.HttpOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads Opsgenie's answer to a create or close (<a href="https://docs.opsgenie.com/docs/response">response
 * format</a>).
 *
 * <p>Opsgenie processes alert requests asynchronously: it answers {@code 202 {"result":"Request will be
 * processed","requestId":"…"}} once the request is valid, and whether the alert was then created or closed is
 * known only from {@code GET /v2/alerts/requests/{requestId}} later. A 2xx carrying a request id (in the body or
 * the {@code X-Request-ID} header) is therefore delivered; a 2xx without one did not come from the Alert API (a
 * proxy's or portal's page behind a wrong {@code url}) and is a permanent {@link Failure#CONFIG}.
 *
 * <p>A 429 is retried after its {@code Retry-After}, else after {@code X-RateLimit-Period-In-Sec} (1 or 60: the
 * bucket that ran out); other failures go through {@link ServiceAnswers#failed}, quoting Opsgenie's
 * {@code message} and {@code errors} with the API key blanked out.
 */
final class OpsgenieAnswer {

    static final String SERVICE_NAME = "Opsgenie";
    /** The longest rate-limit period Opsgenie uses is a minute; anything else in the header is not a period. */
    private static final long MAX_PERIOD_SECONDS = 60;

    private OpsgenieAnswer() {
    }

    /** What an answer means, with the request id Opsgenie gave an accepted request. */
    record Read(DeliveryResult result, Optional<String> requestId) {
    }

    static Read read(HttpOutcome outcome, String apiKey) {
        if (!outcome.answered()) {
            return new Read(outcome.result(), Optional.empty());
        }
        JsonNode answer = ServiceAnswers.json(outcome);
        if (outcome.succeeded()) {
            Optional<String> requestId = Optional.of(answer.path("requestId").asText(""))
                    .filter(id -> !id.isBlank())
                    .or(() -> outcome.header("X-Request-ID").filter(id -> !id.isBlank()));
            if (requestId.isEmpty()) {
                return new Read(new DeliveryResult.Permanent(Failure.CONFIG, SERVICE_NAME + " answered HTTP " + outcome.status()
                        + " without a request id: the url does not lead to the Opsgenie Alert API", outcome.status()), Optional.empty());
            }
            return new Read(DeliveryResult.Delivered.INSTANCE, requestId.map(id -> ServiceAnswers.quote(id, List.of(apiKey))));
        }
        DeliveryResult failed = ServiceAnswers.failed(outcome, SERVICE_NAME, detail(answer, apiKey));
        if (failed instanceof DeliveryResult.Retryable retryable && outcome.status() == 429 && retryable.retryAfter().isEmpty()) {
            return new Read(new DeliveryResult.Retryable(retryable.failure(), retryable.reason(), retryable.status(),
                    rateLimitPeriod(outcome)), Optional.empty());
        }
        return new Read(failed, Optional.empty());
    }

    /** {@code X-RateLimit-Period-In-Sec} as a wait, when it is a number of seconds from 1 to 60. */
    private static Optional<Duration> rateLimitPeriod(HttpOutcome outcome) {
        return outcome.header("X-RateLimit-Period-In-Sec").map(String::strip).filter(v -> v.matches("[0-9]{1,4}"))
                .map(Long::parseLong).filter(s -> s >= 1 && s <= MAX_PERIOD_SECONDS).map(Duration::ofSeconds);
    }

    /** Opsgenie's {@code message} and the values of {@code errors} (an object of field → problem). */
    private static String detail(JsonNode answer, String apiKey) {
        List<String> parts = new ArrayList<>();
        if (answer.path("message").isTextual()) {
            parts.add(answer.path("message").asText());
        }
        answer.path("errors").properties().forEach(error -> parts.add(error.getKey() + ": " + error.getValue().asText()));
        return ServiceAnswers.quote(String.join("; ", parts), List.of(apiKey));
    }
}
