package io.tocsin.dispatcher.delivery;

import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.wire.FieldError;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends alarm events through one kind of channel ({@link #service()}, e.g. {@code webhook}). One attempt per
 * call: retries, backoff, rate limiting, ordering and the delivery log are the delivery engine's job, so
 * channels stay simple. A notifier is a singleton shared by every integration of its service and is called
 * concurrently from many threads (virtual threads): it must be thread-safe and may block.
 *
 * <p>Error contract:
 * <ul>
 *   <li>{@link #notify} never throws for a delivery failure (unreachable receiver, timeout, error status, bad
 *       integration setting): it returns {@link DeliveryResult.Retryable} (the engine retries with backoff until
 *       the delivery deadline, then dead-letters) or {@link DeliveryResult.Permanent} (dead-lettered at once).
 *       A runtime exception is treated as a bug and dead-lettered as permanent.</li>
 *   <li>Reasons never contain secrets: no URL (URLs may carry tokens), no password, key, request body nor
 *       header value.</li>
 *   <li>When the calling thread is interrupted during an attempt, the interrupt flag is left set and a
 *       {@link DeliveryResult.Retryable} is returned; the caller decides whether to stop.</li>
 *   <li>Each attempt of one event carries the same idempotency key derived from
 *       {@link AlarmEvent#getEventId()} (webhooks) or the alarm key (services with a correlation key), so a
 *       receiver can drop duplicates that at-least-once delivery may cause.</li>
 * </ul>
 */
public interface Notifier {

    /** The {@code service} value of the integrations this notifier serves. */
    String service();

    /**
     * Names of the settings whose values are secret: encrypted before they reach a topic, returned redacted by
     * the API, never logged nor put in a reason.
     */
    Set<String> secretSettings();

    /**
     * Whether {@code setting} is one of this channel's settings; a setting the channel does not know is refused,
     * so a typo ({@code smtp-hots}) is reported instead of silently ignored. Channels with families of settings
     * ({@code header.*}, {@code env.*}) accept every name of the family.
     */
    boolean knows(String setting);

    /** Whether a setting is secret; channels with secret families of settings (e.g. {@code header.*}) override. */
    default boolean isSecret(String setting) {
        return secretSettings().contains(setting);
    }

    /**
     * Checks an integration's channel settings ({@link IntegrationConfig#settings()}), when it is declared in
     * configuration (at start) or sent to the API.
     *
     * @return one error per offending setting, {@code field} being the setting's name (e.g. {@code url}); empty
     *         when the settings are valid. Messages never contain a secret setting's value.
     */
    List<FieldError> validate(Map<String, String> settings);

    /** Makes one attempt to deliver {@code event} to {@code integration}. */
    DeliveryResult notify(AlarmEvent event, IntegrationConfig integration);

    /**
     * {@link #notify}, with a channel's exception (a bug, per the contract above) turned into a
     * {@link DeliveryResult.Permanent} that names only the exception's class: what callers use.
     */
    static DeliveryResult attempt(Notifier notifier, AlarmEvent event, IntegrationConfig integration) {
        try {
            return notifier.notify(event, integration);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Notifier.class).error("The {} channel failed on {} (a bug)",
                    integration.service(), event.getEventId(), e);
            return new DeliveryResult.Permanent(DeliveryResult.Failure.CONFIG, "channel error: " + e.getClass().getSimpleName());
        }
    }

    /**
     * Whether the service keeps an incident open until it is resolved (PagerDuty, Opsgenie, Splunk On-Call,
     * ServiceNow): then {@code POST /api/v1/integrations/{id}/test} sends the test event's ENDED after its
     * CREATED, so a test leaves nothing open. Chat services and webhooks answer false.
     */
    default boolean resolvesTestEvents() {
        return false;
    }

    /**
     * The default rate limit of this channel (events per second, burst), used unless the integration sets
     * {@code rate-limit} / {@code rate-burst}. Chat services throttle hard; webhooks and SMTP much less.
     */
    default RateLimit defaultRateLimit() {
        return new RateLimit(100, 200);
    }

    /**
     * A token-bucket rate: {@code perSecond} tokens added per second, at most {@code burst} banked.
     *
     * @param perSecond sustained events per second, more than 0
     * @param burst     how many may go at once after a quiet period, at least 1
     */
    record RateLimit(double perSecond, int burst) {

        public RateLimit {
            if (!(perSecond > 0) || burst < 1) {
                throw new IllegalArgumentException("rate limit must be > 0 per second with a burst >= 1");
            }
        }
    }
}
