package io.tocsin.dispatcher.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.HttpOutcome;
import java.io.IOException;
import java.util.Collection;
import java.util.function.UnaryOperator;

/**
 * Reading a service's answer into a {@link DeliveryResult}, on top of the shared status classification
 * ({@link HttpOutcome#result()}): the answer's JSON ({@link #json}, tolerant of anything else), the service's words
 * made safe to quote ({@link #quote}), a result with a reworded reason ({@link #reworded}), and the rule of the
 * incident services ({@link #failed}: PagerDuty, Opsgenie).
 *
 * <p>The service's words are quoted only after every secret of the integration is masked in them (a service or a
 * proxy may echo the key it refused), control characters are dropped and the quote is cut to {@value #MAX_DETAIL}
 * characters.
 */
public final class ServiceAnswers {

    static final int MAX_DETAIL = 200;
    /** What {@link #quote(String, Collection)} puts where a secret was. */
    public static final String REDACTED = "[redacted]";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServiceAnswers() {
    }

    /**
     * The answer's body as JSON, or a missing node when it is empty or not JSON (a proxy's HTML page, a body cut at
     * the size bound): {@code path(...)} on it finds nothing, so the status alone decides.
     */
    public static JsonNode json(HttpOutcome outcome) {
        if (outcome.body().length == 0) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode node = JSON.readTree(outcome.body());
            return node == null ? MissingNode.getInstance() : node;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    /**
     * {@code result} with its reason passed through {@code reword}, keeping kind, status and Retry-After;
     * {@link DeliveryResult.Delivered} as it is.
     */
    public static DeliveryResult reworded(DeliveryResult result, UnaryOperator<String> reword) {
        return switch (result) {
            case DeliveryResult.Retryable retryable -> new DeliveryResult.Retryable(retryable.failure(), reword.apply(retryable.reason()),
                    retryable.status(), retryable.retryAfter());
            case DeliveryResult.Permanent permanent -> new DeliveryResult.Permanent(permanent.failure(), reword.apply(permanent.reason()),
                    permanent.status());
            case DeliveryResult.Delivered delivered -> delivered;
        };
    }

    /**
     * The result of an incident service's answer that is not a success: the shared classification, its reason
     * prefixed with the service and followed by {@code detail} when there is one, and a permanent 4xx (but 401/403,
     * {@link Failure#AUTH}) reported as {@link Failure#CONFIG}, because with a well-formed event from Tocsin the
     * cause is the integration's settings (a wrong key, endpoint or region), which the operator must fix. A
     * retryable result keeps its Retry-After; one without an answer (status 0) is returned as it is.
     */
    public static DeliveryResult failed(HttpOutcome outcome, String service, String detail) {
        String suffix = detail == null || detail.isEmpty() ? "" : ": " + detail;
        return switch (outcome.result()) {
            case DeliveryResult.Permanent permanent -> {
                boolean clientError = permanent.status() >= 400 && permanent.status() < 500;
                Failure failure = clientError && permanent.failure() != Failure.AUTH ? Failure.CONFIG : permanent.failure();
                yield new DeliveryResult.Permanent(failure, service + " refused the request, " + permanent.reason() + suffix,
                        permanent.status());
            }
            case DeliveryResult.Retryable retryable when retryable.status() == 0 -> retryable;
            case DeliveryResult result -> reworded(result, reason -> service + " answered " + reason + suffix);
        };
    }

    /** {@link #quote(String, Collection, String)} masking with {@value #REDACTED}. */
    public static String quote(String text, Collection<String> secrets) {
        return quote(text, secrets, REDACTED);
    }

    /**
     * {@code text} made safe for a reason: each of {@code secrets} (null or blank ones ignored) replaced by
     * {@code mask}, control characters replaced by spaces, stripped and cut to {@value #MAX_DETAIL} characters
     * ({@link AlarmText#truncate}); empty for null.
     */
    public static String quote(String text, Collection<String> secrets, String mask) {
        if (text == null) {
            return "";
        }
        String safe = text;
        for (String secret : secrets) {
            if (secret != null && !secret.isBlank()) {
                safe = safe.replace(secret.strip(), mask);
            }
        }
        StringBuilder clean = new StringBuilder(safe.length());
        safe.codePoints().forEach(c -> clean.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return AlarmText.truncate(clean.toString().strip(), MAX_DETAIL);
    }
}
