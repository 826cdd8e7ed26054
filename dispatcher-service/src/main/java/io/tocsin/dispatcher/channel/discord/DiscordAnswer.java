package io.tocsin.dispatcher.channel.discord;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.dispatcher.channel.ServiceAnswers;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.HttpOutcome;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Classifies Discord's answer to an execute-webhook POST. Success is {@code 200} with the created message
 * ({@code ?wait=true}) or {@code 204}. Errors carry a JSON body {@code {"code": <int>, "message": "..."}}
 * (<a href="https://discord.com/developers/docs/topics/opcodes-and-status-codes#json">JSON error codes</a>);
 * a 429 carries {@code {"message", "retry_after": <float seconds>, "global": bool}} and the {@code X-RateLimit-*}
 * headers (<a href="https://discord.com/developers/docs/topics/rate-limits">rate limits</a>).
 *
 * <p>The status decides retryable or not through the shared classifier (429 and 5xx retryable). A 429's wait is
 * {@code retry_after} from the body, else {@code Retry-After}, else {@code X-RateLimit-Reset-After}. A 404 means
 * the webhook was deleted ({@link Failure#CONFIG}); known error codes get a reason saying what to fix.
 *
 * <p>Error contract: never throws; reasons hold the status, Discord's numeric code and the rate-limit scope,
 * never the webhook URL nor Discord's free-text message.
 */
final class DiscordAnswer {

    private static final String DELETED = "the webhook was deleted: create a new one";

    /** Known error codes: what they mean for the operator, and the failure kind. */
    private record Known(Failure failure, String meaning) {
    }

    private static final Map<Integer, Known> KNOWN = Map.of(
            10015, new Known(Failure.CONFIG, DELETED),
            10003, new Known(Failure.CONFIG, "the webhook's channel no longer exists"),
            50027, new Known(Failure.AUTH, "the webhook URL's token is invalid"),
            50013, new Known(Failure.AUTH, "the webhook may not post in its channel"),
            220001, new Known(Failure.CONFIG, "the webhook posts to a forum channel: add ?thread_id=<thread> to webhookUrl"),
            50035, new Known(Failure.CONFIG, "Discord refused the message's fields: check the link setting"),
            50006, new Known(Failure.CONFIG, "Discord refused an empty message"),
            40005, new Known(Failure.CONFIG, "Discord refused the message as too large"));

    private DiscordAnswer() {
    }

    static DeliveryResult classify(HttpOutcome outcome) {
        DeliveryResult shared = outcome.result();
        if (!outcome.answered() || shared instanceof DeliveryResult.Delivered) {
            return shared; // no answer (reason already free of the URL), or 200/204
        }
        JsonNode body = ServiceAnswers.json(outcome);
        if (outcome.status() == 429) {
            return rateLimited(outcome, body, (DeliveryResult.Retryable) shared);
        }
        int code = body.path("code").isInt() ? body.path("code").asInt() : -1;
        String quoted = code >= 0 ? " code " + code : "";
        Known known = shared instanceof DeliveryResult.Permanent ? KNOWN.get(code) : null;
        if (known == null && outcome.status() == 404) {
            known = new Known(Failure.CONFIG, DELETED); // Discord: a webhook answering 404 is gone; stop using it
        }
        if (known != null) {
            return new DeliveryResult.Permanent(known.failure(), "Discord: HTTP " + outcome.status() + quoted + " (" + known.meaning() + ")",
                    outcome.status());
        }
        return ServiceAnswers.reworded(shared, reason -> "Discord: " + reason + quoted);
    }

    private static DeliveryResult rateLimited(HttpOutcome outcome, JsonNode body, DeliveryResult.Retryable shared) {
        Optional<Duration> wait = seconds(body.path("retry_after").asText(null));
        if (wait.isEmpty()) {
            wait = shared.retryAfter();
        }
        if (wait.isEmpty()) {
            wait = seconds(outcome.header("X-RateLimit-Reset-After").orElse(null));
        }
        String scope = outcome.header("X-RateLimit-Scope").map(s -> s.strip().toLowerCase(Locale.ROOT)).orElse("");
        if (body.path("global").asBoolean(false)) {
            scope = "global";
        }
        String reason = "Discord: HTTP 429" + (scope.matches("[a-z]{1,16}") ? " (" + scope + " rate limit)" : "");
        return new DeliveryResult.Retryable(Failure.RATE_LIMITED, reason, 429, wait);
    }

    /** A wait given as (fractional) seconds, rounded up to the millisecond; empty when it is not one. */
    static Optional<Duration> seconds(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            double seconds = Double.parseDouble(value.strip());
            if (!(seconds >= 0) || seconds > 86_400 * 7) {
                return Optional.empty(); // negative, NaN or absurd: only the hint is lost, not the retry
            }
            return Optional.of(Duration.ofMillis((long) Math.ceil(seconds * 1000)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
