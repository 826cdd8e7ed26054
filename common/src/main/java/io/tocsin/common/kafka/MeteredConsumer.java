package io.tocsin.common.kafka;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * A byte-level {@link KafkaConsumer} whose meters ({@code kafka_consumer_*}) live exactly as long as it does: they are
 * bound when it is built and removed by whichever {@code close} overload closes it. Built by
 * {@link KafkaClients#newConsumer(Map)}.
 *
 * <p>Error contract: as {@link KafkaConsumer}; a close that fails still removes the meters.
 */
final class MeteredConsumer extends KafkaConsumer<byte[], byte[]> {

    private final ClientMeters.Binding binding;

    private MeteredConsumer(Map<String, Object> config, ClientMeters.Binding binding) {
        super(config);
        this.binding = binding;
        binding.bind(id -> new KafkaClientMetrics(this));
    }

    static MeteredConsumer create(ClientMeters meters, Map<String, Object> config) {
        Map.Entry<Map<String, Object>, ClientMeters.Binding> claimed = meters.claim(config);
        try {
            return new MeteredConsumer(claimed.getKey(), claimed.getValue());
        } catch (RuntimeException e) {
            claimed.getValue().close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            super.close();
        } finally {
            binding.close();
        }
    }

    @Override
    @Deprecated
    public void close(Duration timeout) {
        try {
            super.close(timeout);
        } finally {
            binding.close();
        }
    }

    @Override
    public void close(CloseOptions option) {
        try {
            super.close(option);
        } finally {
            binding.close();
        }
    }
}
