package io.tocsin.dispatcher;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * The dispatcher's settings ({@code tocsin.dispatcher.*}); integrations themselves are {@link IntegrationConfig}.
 *
 * @param groupId          consumer group of the dispatcher on {@code tocsin.alarm-events}
 * @param initialBackoff   wait before the first retry of a retryable failure; doubles per attempt
 * @param maxBackoff       cap of the wait between two attempts (a receiver's Retry-After may ask for more)
 * @param deliveryDeadline how long a retryable failure is retried; then the event is given up and dead-lettered
 * @param requestTimeout   connect and request timeout of one HTTP attempt
 * @param enabled          whether this process runs the dispatcher (the dispatcher service and the standalone do)
 */
@ConfigurationProperties("tocsin.dispatcher")
public record DispatcherSettings(@Bindable(defaultValue = "tocsin-dispatcher") String groupId,
                                 @Bindable(defaultValue = "1s") Duration initialBackoff,
                                 @Bindable(defaultValue = "60s") Duration maxBackoff,
                                 @Bindable(defaultValue = "10m") Duration deliveryDeadline,
                                 @Bindable(defaultValue = "15s") Duration requestTimeout,
                                 @Bindable(defaultValue = "true") boolean enabled) {

    public DispatcherSettings {
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("tocsin.dispatcher.initial-backoff must be positive, was " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("tocsin.dispatcher.max-backoff (" + maxBackoff
                    + ") must not be less than tocsin.dispatcher.initial-backoff (" + initialBackoff + ")");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("tocsin.dispatcher.request-timeout must be positive, was " + requestTimeout);
        }
    }

    /** The defaults, for code that builds parts of the dispatcher without a context (tests, tools). */
    public static DispatcherSettings defaults() {
        return new DispatcherSettings("tocsin-dispatcher", Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofMinutes(10), Duration.ofSeconds(15), true);
    }
}
