package io.tocsin.rules.streams;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;

/** {@code /health} component {@code rules-streams}: UP while the topology runs or rebalances. */
@Singleton
@Readiness
@Requires(beans = RulesStreams.class)
public class StreamsHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final RulesStreams streams;

    public StreamsHealthIndicator(RulesStreams streams) {
        this.streams = streams;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        KafkaStreams.State state = streams.state();
        healthStatus = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING ? HealthStatus.UP : HealthStatus.DOWN;
        return Map.of("state", state.name());
    }

    @Override
    protected String getName() {
        return "rules-streams";
    }
}
