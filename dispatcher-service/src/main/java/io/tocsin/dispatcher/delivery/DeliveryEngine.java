package io.tocsin.dispatcher.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import io.tocsin.dispatcher.DispatcherSettings;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.schema.AlarmEvent;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one event to one integration: calls its {@link Notifier} and retries {@link DeliveryResult.Retryable}
 * answers with exponential backoff ({@code initial-backoff} doubling up to {@code max-backoff}, ±20% jitter so
 * many dispatchers do not hammer a recovering receiver in step, never less than the receiver's Retry-After)
 * until the event is delivered, refused for good, or {@code delivery-deadline} has passed.
 *
 * <p>Counts the final outcome of each delivery in {@code tocsin.dispatcher.deliveries{integration,outcome}}
 * (outcome {@code delivered}, {@code permanent} or {@code gave_up}) and every attempt in
 * {@code tocsin.dispatcher.delivery.attempts{integration,result}}.
 */
@Singleton
public class DeliveryEngine {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryEngine.class);
    private static final double JITTER = 0.2;

    private final DispatcherSettings settings;
    private final MeterRegistry meters;

    public DeliveryEngine(DispatcherSettings settings, MeterRegistry meters) {
        this.settings = settings;
        this.meters = meters;
    }

    /**
     * Delivers {@code event} to {@code integration} through {@code notifier}, retrying as described above.
     *
     * @return the final result: {@link DeliveryResult.Delivered}, the {@link DeliveryResult.Permanent} refusal, or
     *         the last {@link DeliveryResult.Retryable} failure once the deadline has passed
     * @throws InterruptedException when the thread is interrupted (the dispatcher is stopping): the outcome is
     *                              then unknown and the event must be neither committed nor dead-lettered
     */
    public DeliveryResult deliver(Notifier notifier, AlarmEvent event, IntegrationConfig integration)
            throws InterruptedException {
        // Monotonic time: a wall-clock jump must neither cut retries short nor extend them.
        long deadline = System.nanoTime() + settings.deliveryDeadline().toNanos();
        Duration backoff = settings.initialBackoff();
        for (int attempt = 1; ; attempt++) {
            DeliveryResult result = notifier.notify(event, integration);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while delivering " + event.getEventId());
            }
            meters.counter("tocsin.dispatcher.delivery.attempts", "integration", integration.name(),
                    "result", resultTag(result)).increment();
            switch (result) {
                case DeliveryResult.Delivered delivered -> {
                    LOG.debug("Delivered {} to {} (attempt {})", event.getEventId(), integration.name(), attempt);
                    return finish(integration, "delivered", delivered);
                }
                case DeliveryResult.Permanent permanent -> {
                    LOG.warn("{} refused {} for good (attempt {}): {}", integration.name(), event.getEventId(),
                            attempt, permanent.reason());
                    return finish(integration, "permanent", permanent);
                }
                case DeliveryResult.Retryable retryable -> {
                    long remaining = deadline - System.nanoTime();
                    Duration wait = nextWait(backoff, retryable);
                    // A Retry-After beyond the deadline is the receiver telling us not to come back in time.
                    if (remaining <= 0 || retryable.retryAfter().map(after -> after.toNanos() > remaining).orElse(false)) {
                        LOG.warn("Giving up delivering {} to {} after {} attempts ({} deadline): {}", event.getEventId(),
                                integration.name(), attempt, settings.deliveryDeadline(), retryable.reason());
                        return finish(integration, "gave_up", retryable);
                    }
                    // Past the deadline, make one last attempt at the deadline rather than give up early.
                    wait = wait.toNanos() > remaining ? Duration.ofNanos(remaining) : wait;
                    LOG.warn("Delivering {} to {} failed (attempt {}): {}; retrying in {} ms", event.getEventId(),
                            integration.name(), attempt, retryable.reason(), wait.toMillis());
                    Thread.sleep(wait);
                    backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
                }
            }
        }
    }

    /** The backoff with jitter, raised to the receiver's Retry-After when it asks for more. */
    Duration nextWait(Duration backoff, DeliveryResult.Retryable retryable) {
        double factor = 1 - JITTER + ThreadLocalRandom.current().nextDouble() * 2 * JITTER;
        Duration jittered = Duration.ofNanos((long) (backoff.toNanos() * factor));
        return retryable.retryAfter().filter(after -> after.compareTo(jittered) > 0).orElse(jittered);
    }

    private DeliveryResult finish(IntegrationConfig integration, String outcome, DeliveryResult result) {
        meters.counter("tocsin.dispatcher.deliveries", "integration", integration.name(), "outcome", outcome).increment();
        return result;
    }

    private static String resultTag(DeliveryResult result) {
        return switch (result) {
            case DeliveryResult.Delivered d -> "delivered";
            case DeliveryResult.Retryable r -> "retryable";
            case DeliveryResult.Permanent p -> "permanent";
        };
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
