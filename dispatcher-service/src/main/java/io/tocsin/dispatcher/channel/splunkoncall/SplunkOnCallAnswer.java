package io.tocsin.dispatcher.channel.splunkoncall;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.dispatcher.channel.ServiceAnswers;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.HttpOutcome;
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
 * 200 characters, with control characters and any part of the endpoint's path that could be the
 * API key replaced by {@code ***}.
 */
final class SplunkOnCallAnswer {

    /** What replaces a part of the endpoint's path in a quoted message. */
    static final String MASK = "***";

    private SplunkOnCallAnswer() {
    }

    /** The delivery result of {@code outcome}; {@code secretParts} are removed from any quoted message. */
    static DeliveryResult read(HttpOutcome outcome, List<String> secretParts) {
        if (!outcome.answered()) {
            return outcome.result();
        }
        JsonNode body = ServiceAnswers.json(outcome);
        String message = body.path("message").isTextual() ? ServiceAnswers.quote(body.path("message").asText(), secretParts, MASK) : "";
        String suffix = message.isEmpty() ? "" : ": " + message;
        if (outcome.succeeded()) {
            boolean failure = "failure".equalsIgnoreCase(body.path("result").asText(""));
            return failure ? new DeliveryResult.Permanent(DeliveryResult.Failure.CONFIG, "Splunk On-Call refused the alert" + suffix,
                    outcome.status()) : DeliveryResult.Delivered.INSTANCE;
        }
        return ServiceAnswers.reworded(outcome.result(), reason -> reason + suffix);
    }
}
