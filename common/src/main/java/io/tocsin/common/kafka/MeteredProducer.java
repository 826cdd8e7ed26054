package io.tocsin.common.kafka;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.Map;

/**
 * A byte-level {@link KafkaProducer} whose meters ({@code kafka_producer_*}) live exactly as long as it does: they are
 * bound when it is built and removed when it is closed (every {@code close} overload ends in
 * {@link #close(Duration)}). Built by {@link KafkaClients#newProducer(Map)}.
 *
 * <p>Error contract: as {@link KafkaProducer}; a close that fails still removes the meters.
 */
final class MeteredProducer extends org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> {

    private final ClientMeters.Binding binding;

    private MeteredProducer(Map<String, Object> config, ClientMeters.Binding binding) {
        super(config);
        this.binding = binding;
        binding.bind(id -> new KafkaClientMetrics(this));
    }

    static MeteredProducer create(ClientMeters meters, Map<String, Object> config) {
        Map.Entry<Map<String, Object>, ClientMeters.Binding> claimed = meters.claim(config);
        try {
            return new MeteredProducer(claimed.getKey(), claimed.getValue());
        } catch (RuntimeException e) {
            claimed.getValue().close();
            throw e;
        }
    }

    @Override
    public void close(Duration timeout) {
        try {
            super.close(timeout);
        } finally {
            binding.close();
        }
    }
}
