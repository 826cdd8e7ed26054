package io.tocsin.collector.ingest;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * HTTP ingest ({@code tocsin.collector.ingest.*}).
 *
 * @param ackTimeout   how long a request waits for Kafka to acknowledge every record before it is answered 503
 *                     with {@code Retry-After} (nothing reported accepted; a retry is deduplicated downstream)
 * @param retryAfter   the {@code Retry-After} a 503 carries
 * @param maxRecords   records one request may carry (alarms, alerts or samples)
 * @param linger       the ingest producer's {@code linger.ms}: how long a record waits for others to share its
 *                     batch. Every request waits for its acknowledgement, so linger adds to each request's latency
 *                     and, with a fixed number of clients each waiting for its answer, divides throughput; under load
 *                     batches fill anyway from the records that arrive while earlier ones are in flight
 */
@ConfigurationProperties("tocsin.collector.ingest")
public record IngestSettings(
        @Bindable(defaultValue = "10s") Duration ackTimeout,
        @Bindable(defaultValue = "5s") Duration retryAfter,
        @Bindable(defaultValue = "1000") int maxRecords,
        @Bindable(defaultValue = "0ms") Duration linger) {

    public IngestSettings {
        if (ackTimeout.isNegative() || ackTimeout.isZero()) {
            throw new IllegalArgumentException("tocsin.collector.ingest.ack-timeout must be positive, was " + ackTimeout);
        }
        if (maxRecords < 1) {
            throw new IllegalArgumentException("tocsin.collector.ingest.max-records must be at least 1, was " + maxRecords);
        }
    }
}
