package io.tocsin.dispatcher.channel.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.dispatcher.channel.ServiceAnswers;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.HttpOutcome;
import io.tocsin.dispatcher.delivery.HttpStatusClassifier;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a Bot API answer (<a href="https://core.telegram.org/bots/api#making-requests">making requests</a>):
 * {@code {"ok":true,"result":{...}}} or {@code {"ok":false,"error_code":N,"description":"...","parameters":{...}}},
 * the HTTP status normally being {@code error_code}.
 *
 * <p>Classification, on top of the shared {@link HttpStatusClassifier}:
 * <ul>
 *   <li>2xx with {@code ok} not false: delivered (a 2xx without a JSON body, e.g. from a proxy, too).</li>
 *   <li>{@code ok:false} on a 2xx: classified by its {@code error_code} (the API says this does not happen;
 *       tolerated anyway, never taken as success).</li>
 *   <li>{@code parameters.migrate_to_chat_id}: the group became a supergroup and has a new id. Permanent
 *       {@link Failure#CONFIG} naming the new id: a channel cannot change its integration's settings, and
 *       resending to another chat behind the operator's back would hide a stale configuration.</li>
 *   <li>400 {@code chat not found}: permanent {@link Failure#CONFIG} (wrong {@code chatId}).</li>
 *   <li>429: retryable {@link Failure#RATE_LIMITED}, waiting {@code parameters.retry_after} seconds (else the
 *       {@code Retry-After} header).</li>
 *   <li>Everything else as the shared classifier: 401/403 permanent {@link Failure#AUTH} (bad token, bot blocked or
 *       not a member), other 4xx permanent {@link Failure#CLIENT}, 5xx retryable.</li>
 * </ul>
 * Reasons carry Telegram's {@code description} (cut, with the token removed should a proxy echo it), never a URL.
 */
final class TelegramAnswer {

    /** What replaces the token, or its secret half, should a proxy echo either. */
    static final String MASK = "[bot token]";

    private TelegramAnswer() {
    }

    static DeliveryResult classify(HttpOutcome outcome, String token) {
        if (!outcome.answered()) {
            return outcome.result(); // timeout, refused connection, denied target: already classified
        }
        JsonNode body = ServiceAnswers.json(outcome);
        boolean refusedInBody = body.path("ok").isBoolean() && !body.path("ok").booleanValue();
        if (outcome.succeeded() && !refusedInBody) {
            return DeliveryResult.Delivered.INSTANCE;
        }
        int status = outcome.succeeded() ? body.path("error_code").asInt(500) : outcome.status();
        String reason = "HTTP " + status + description(body, token);
        JsonNode parameters = body.path("parameters");
        if (parameters.hasNonNull("migrate_to_chat_id")) {
            return new DeliveryResult.Permanent(Failure.CONFIG, reason + "; the group is now the supergroup "
                    + parameters.path("migrate_to_chat_id").asLong() + ": set chatId to that id", status);
        }
        if (status == 400 && reason.toLowerCase(Locale.ROOT).contains("chat not found")) {
            return new DeliveryResult.Permanent(Failure.CONFIG, reason + " (check chatId and that the bot is in the chat)", status);
        }
        if (status == 429) {
            Optional<Duration> wait = parameters.path("retry_after").canConvertToLong() && parameters.path("retry_after").asLong() >= 0
                    ? Optional.of(Duration.ofSeconds(parameters.path("retry_after").asLong()))
                    : outcome.header("Retry-After").flatMap(value -> HttpStatusClassifier.parseRetryAfter(value, java.time.Instant.now()));
            return new DeliveryResult.Retryable(Failure.RATE_LIMITED, reason, status, wait);
        }
        DeliveryResult shared = HttpStatusClassifier.classify(status, outcome.header("Retry-After"));
        if (shared instanceof DeliveryResult.Delivered) {
            // An ok:false answer whose error_code is itself 2xx: nonsense, so refused rather than trusted.
            return new DeliveryResult.Permanent(Failure.CLIENT, reason + " (ok:false)", status);
        }
        return ServiceAnswers.reworded(shared, sharedReason -> reason);
    }

    /** ": <description>" from the answer, cut, on one line and without the token; empty without one. */
    private static String description(JsonNode body, String token) {
        // The whole token first, then its secret half, should a proxy echo either.
        List<String> secrets = token == null || token.isEmpty() ? List.of() : List.of(token, token.substring(token.indexOf(':') + 1));
        String text = ServiceAnswers.quote(body.path("description").asText(""), secrets, MASK);
        return text.isEmpty() ? "" : ": " + text;
    }
}
