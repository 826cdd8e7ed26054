package io.tocsin.dispatcher.delivery;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Limits and cadence of the delivery engine ({@code tocsin.dispatcher.engine.*}).
 *
 * @param maxInFlightPerIntegration deliveries of one integration attempted at the same time (across its alarms)
 * @param maxPending                deliveries accepted from Kafka and not yet finished, over all integrations; at
 *                                  this many the dispatcher pauses its partitions (backpressure) until half have
 *                                  finished. Bounds memory whatever the backlog; nothing is dropped.
 * @param commitInterval            how often finished offsets are committed (asynchronously)
 * @param logRetention              how long delivery outcomes are kept in memory for the deliveries API and the
 *                                  delivered markers (the topic itself is compacted)
 */
@ConfigurationProperties("tocsin.dispatcher.engine")
public record EngineSettings(@Bindable(defaultValue = "128") int maxInFlightPerIntegration,
                             @Bindable(defaultValue = "20000") int maxPending,
                             @Bindable(defaultValue = "100ms") Duration commitInterval,
                             @Bindable(defaultValue = "7d") Duration logRetention) {

    public EngineSettings {
        if (maxInFlightPerIntegration < 1) {
            throw new IllegalArgumentException("tocsin.dispatcher.engine.max-in-flight-per-integration must be at least 1");
        }
        if (maxPending < 1) {
            throw new IllegalArgumentException("tocsin.dispatcher.engine.max-pending must be at least 1");
        }
    }
}
