package io.tocsin.rules.view;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * The unified view's settings ({@code tocsin.rules.view.*}).
 *
 * @param peerTimeout how long an instance waits for another instance's part of an answer (connect and reply); a
 *                    peer that does not answer in time makes the query answer 503, never a partial result
 * @param retryAfter  the {@code Retry-After} given with a 503 while stores are not queryable (rebalancing,
 *                    restoring, a peer unreachable); rounded up to whole seconds
 */
@ConfigurationProperties("tocsin.rules.view")
public record ViewSettings(@Bindable(defaultValue = "3s") Duration peerTimeout,
                           @Bindable(defaultValue = "2s") Duration retryAfter) {

    public ViewSettings {
        if (peerTimeout.isZero() || peerTimeout.isNegative()) {
            throw new IllegalArgumentException("tocsin.rules.view.peer-timeout must be positive, was " + peerTimeout);
        }
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("tocsin.rules.view.retry-after must not be negative, was " + retryAfter);
        }
    }

    /** {@link #retryAfter} in whole seconds, at least 1, as the {@code Retry-After} header gives it. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
