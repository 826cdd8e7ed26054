package io.tocsin.common.kafka;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;
import java.time.Duration;
import java.util.Map;

/**
 * How Tocsin reaches Kafka ({@code tocsin.kafka.*}).
 *
 * @param bootstrapServers  comma-separated host:port list ({@code TOCSIN_KAFKA_BOOTSTRAP_SERVERS})
 * @param topicPrefix       prefix of every topic name
 * @param properties        passed to every Kafka client as they are: TLS and SASL settings such as
 *                          {@code tocsin.kafka.properties.security.protocol=SASL_SSL}
 * @param provisionTopics   create missing topics at start (never alters or deletes existing ones)
 * @param partitions        partitions of topics Tocsin creates
 * @param replicationFactor replication of topics Tocsin creates; -1 takes the broker's default
 * @param startupTimeout    how long a service waits for Kafka at start before it gives up
 */
@ConfigurationProperties("tocsin.kafka")
public record KafkaSettings(
        @Bindable(defaultValue = "localhost:9092") String bootstrapServers,
        @Bindable(defaultValue = "tocsin.") String topicPrefix,
        @MapFormat(transformation = MapFormat.MapTransformation.FLAT, keyFormat = StringConvention.RAW) Map<String, String> properties,
        @Bindable(defaultValue = "true") boolean provisionTopics,
        @Bindable(defaultValue = "3") int partitions,
        @Bindable(defaultValue = "-1") short replicationFactor,
        @Bindable(defaultValue = "60s") Duration startupTimeout) {

    public KafkaSettings {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
        if (partitions < 1) {
            throw new IllegalArgumentException("tocsin.kafka.partitions must be at least 1, was " + partitions);
        }
    }
}
