package io.tocsin.dispatcher.channel.pagerduty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.tocsin.dispatcher.channel.AlarmText;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.HttpOutcome;
import java.io.IOException;
import java.util.Collection;

/**
 * Reading an incident service's answer (PagerDuty, Opsgenie) into a {@link DeliveryResult}, on top of the shared
 * status classification ({@link HttpOutcome#result()}): what the service said is added to the reason, and a
 * permanent 4xx other than 401/403 is reported as {@link Failure#CONFIG}, because with a well-formed event from
 * Tocsin the cause is the integration's settings (a wrong key, endpoint or region), which the operator must fix.
 * Public so the Opsgenie channel uses the same rules.
 *
 * <p>The service's words are quoted only after every secret of the integration is blanked out of them (a service
 * may echo the key it refused), control characters are dropped and the quote is cut to {@value #MAX_DETAIL}
 * characters.
 */
public final class ServiceAnswers {

    static final int MAX_DETAIL = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServiceAnswers() {
    }

    /** The answer's body as JSON, or a missing node when it is empty or not JSON. */
    public static JsonNode json(HttpOutcome outcome) {
        if (outcome.body().length == 0) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode node = JSON.readTree(outcome.body());
            return node == null ? MissingNode.getInstance() : node;
        } catch (IOException e) {
            return MissingNode.getInstance(); // a proxy's HTML page, or a body cut at the size bound
        }
    }

    /**
     * The result of an answer that is not a success: the shared classification, its reason followed by
     * {@code detail} when there is one, permanent 4xx (but 401/403, {@link Failure#AUTH}) as {@link Failure#CONFIG}.
     * A retryable result keeps its Retry-After.
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
            case DeliveryResult.Retryable retryable -> retryable.status() == 0 ? retryable
                    : new DeliveryResult.Retryable(retryable.failure(), service + " answered " + retryable.reason() + suffix,
                            retryable.status(), retryable.retryAfter());
            case DeliveryResult.Delivered delivered -> delivered;
        };
    }

    /**
     * {@code text} made safe for a reason: each of {@code secrets} (null or blank ones ignored) replaced by
     * {@code [redacted]}, control characters replaced by spaces, cut to {@value #MAX_DETAIL} characters; empty
     * for null.
     */
    public static String quote(String text, Collection<String> secrets) {
        if (text == null) {
            return "";
        }
        String safe = text;
        for (String secret : secrets) {
            if (secret != null && !secret.isBlank()) {
                safe = safe.replace(secret.strip(), "[redacted]");
            }
        }
        StringBuilder clean = new StringBuilder(safe.length());
        safe.codePoints().forEach(c -> clean.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return AlarmText.truncate(clean.toString().strip(), MAX_DETAIL);
    }
}
