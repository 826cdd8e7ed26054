package io.tocsin.dispatcher.channel.splunkoncall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.dispatcher.channel.AlarmText;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.HttpOutcome;
import java.io.IOException;
import java.util.List;

/**
 * Reads Splunk On-Call's answer to an alert. The REST endpoint answers {@code 200 {"result":"success",
 * "entity_id":"..."}}, but may also answer 200 with {@code {"result":"failure","message":"..."}} (e.g. for a bad
 * routing key), so the body counts, not only the status.
 *
 * <p>Classification: no answer → the sender's result (connect/timeout, retryable); 2xx with
 * {@code "result":"failure"} → {@link DeliveryResult.Permanent} {@code CONFIG} (the same request would be refused
 * again: the integration's key or routing key is wrong); any other 2xx → delivered (a body that is not the
 * documented JSON is tolerated: the status said yes); non-2xx → the shared classification (429 and 5xx retryable
 * with Retry-After, other 4xx permanent). The service's {@code message} is added to the reason, cut to
 * {@value #MAX_MESSAGE} characters, with control characters and any part of the endpoint's path that could be the
 * API key replaced by {@code ***}.
 */
final class SplunkOnCallAnswer {

    static final int MAX_MESSAGE = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SplunkOnCallAnswer() {
    }

    /** The delivery result of {@code outcome}; {@code secretParts} are removed from any quoted message. */
    static DeliveryResult read(HttpOutcome outcome, List<String> secretParts) {
        if (!outcome.answered()) {
            return outcome.result();
        }
        JsonNode body = parse(outcome);
        String message = message(body, secretParts);
        if (outcome.succeeded()) {
            boolean failure = body != null && "failure".equalsIgnoreCase(body.path("result").asText(""));
            return failure ? new DeliveryResult.Permanent(DeliveryResult.Failure.CONFIG,
                    "Splunk On-Call refused the alert" + (message.isEmpty() ? "" : ": " + message), outcome.status())
                    : DeliveryResult.Delivered.INSTANCE;
        }
        DeliveryResult shared = outcome.result();
        if (message.isEmpty()) {
            return shared;
        }
        return switch (shared) {
            case DeliveryResult.Retryable r -> new DeliveryResult.Retryable(r.failure(), r.reason() + ": " + message, r.status(), r.retryAfter());
            case DeliveryResult.Permanent p -> new DeliveryResult.Permanent(p.failure(), p.reason() + ": " + message, p.status());
            case DeliveryResult.Delivered d -> d;
        };
    }

    private static JsonNode parse(HttpOutcome outcome) {
        if (outcome.body().length == 0) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(outcome.body());
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null; // not JSON (a proxy's HTML page, a cut body): only the status speaks
        }
    }

    private static String message(JsonNode body, List<String> secretParts) {
        if (body == null || !body.path("message").isTextual()) {
            return "";
        }
        String message = body.path("message").asText().replaceAll("\\p{Cntrl}", " ").strip();
        for (String secret : secretParts) {
            message = message.replace(secret, "***");
        }
        return message.isEmpty() ? "" : AlarmText.truncate(message, MAX_MESSAGE);
    }
}
