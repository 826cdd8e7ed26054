package io.tocsin.dispatcher.delivery;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What one HTTP attempt of a channel came to: either an answer (status, headers, the start of the body) or a
 * failure before any answer (target refused by {@link OutboundTargets}, connection failed, timed out, request
 * could not be built), already a {@link DeliveryResult}.
 *
 * <p>Channels whose service says more than its status (a 2xx body reporting failure, a rate-limit hint in the
 * body, an id to keep) read {@link #body()}; everything else takes {@link #result()}, the shared classification
 * of {@link HttpStatusClassifier} with the answer's {@code Retry-After}.
 *
 * @param status  the HTTP status, or 0 when there was no answer
 * @param headers the answer's headers (empty without one)
 * @param body    the first {@value JsonHttpSender#MAX_ANSWER_BYTES} bytes of the answer's body (empty without one)
 * @param failure the result when there was no answer, else {@code null}
 */
public record HttpOutcome(int status, java.net.http.HttpHeaders headers, byte[] body, DeliveryResult failure) {

    static HttpOutcome failed(DeliveryResult failure) {
        return new HttpOutcome(0, java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true), new byte[0], failure);
    }

    /** Whether the receiver answered at all. */
    public boolean answered() {
        return failure == null;
    }

    /** Whether the answer is a 2xx. */
    public boolean succeeded() {
        return answered() && status >= 200 && status < 300;
    }

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    /** The body as UTF-8 text (possibly cut at the size bound). */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The shared classification: the failure, or the status with the answer's {@code Retry-After}. */
    public DeliveryResult result() {
        return failure != null ? failure : HttpStatusClassifier.classify(status, header("Retry-After"));
    }
}
