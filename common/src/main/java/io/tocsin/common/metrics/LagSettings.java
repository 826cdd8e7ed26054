package io.tocsin.common.metrics;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.List;

/**
 * Consumer lag metrics ({@code tocsin.metrics.lag.*}).
 *
 * @param enabled  report {@code tocsin_consumer_lag} at all
 * @param interval how often the committed and end offsets are read
 * @param timeout  bound on each Admin call of one reading (a slow cluster delays the next reading, never blocks more)
 * @param groups   consumer groups to report besides this process's own (the rules Streams application id, the
 *                 dispatcher's group), e.g. a group of an external consumer of Tocsin's topics
 */
@ConfigurationProperties("tocsin.metrics.lag")
public record LagSettings(@Bindable(defaultValue = "true") boolean enabled,
                          @Bindable(defaultValue = "15s") Duration interval,
                          @Bindable(defaultValue = "10s") Duration timeout,
                          @Nullable List<String> groups) {

    public LagSettings {
        groups = groups == null ? List.of() : List.copyOf(groups);
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("tocsin.metrics.lag.interval must be positive, was " + interval);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("tocsin.metrics.lag.timeout must be positive, was " + timeout);
        }
    }
}
