package io.tocsin.dispatcher.delivery;

import io.tocsin.dispatcher.IntegrationConfig;
import io.tocsin.schema.AlarmEvent;

/**
 * Sends alarm events through one kind of channel ({@link #service()}, e.g. {@code webhook}). One attempt per
 * call: retrying is {@link DeliveryEngine}'s job, so channels stay simple.
 *
 * <p>Error contract:
 * <ul>
 *   <li>{@link #notify} never throws for a delivery failure (unreachable receiver, timeout, error status, bad
 *       integration setting): it returns {@link DeliveryResult.Retryable} or {@link DeliveryResult.Permanent}.
 *       Only a bug may surface as a runtime exception.</li>
 *   <li>Reasons never contain secrets: no URL (URLs may carry tokens), no request body, no header value.</li>
 *   <li>When the calling thread is interrupted during an attempt, the interrupt flag is left set and a
 *       {@link DeliveryResult.Retryable} is returned; the caller decides whether to stop.</li>
 *   <li>Each attempt of one event carries the same idempotency key, so a receiver can drop duplicates that
 *       at-least-once delivery may cause.</li>
 * </ul>
 */
public interface Notifier {

    /** The {@code service} value of the integrations this notifier serves. */
    String service();

    /**
     * Checks an integration's channel settings at start.
     *
     * @throws IllegalArgumentException with a message naming the integration's offending key (never its value
     *                                  when that may be secret, like a URL)
     */
    void validate(IntegrationConfig integration);

    /** Makes one attempt to deliver {@code event} to {@code integration}. */
    DeliveryResult notify(AlarmEvent event, IntegrationConfig integration);
}
