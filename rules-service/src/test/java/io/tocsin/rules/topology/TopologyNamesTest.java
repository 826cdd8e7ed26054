package io.tocsin.rules.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.rules.definition.RulesLoader;
import io.tocsin.schema.topics.TopicCatalogue;
import org.junit.jupiter.api.Test;

/** Every processor, store and internal topic has a chosen name, so an upgrade keeps the state it had. */
class TopologyNamesTest {

    @Test
    void noGeneratedNames() {
        String description = AlarmLifecycleTopology.build(TopicCatalogue.withDefaultPrefix(), RulesLoader.defaults(),
                TopologySettings.defaults(), RulesMetrics.NONE).describe().toString();
        assertThat(description).doesNotContain("KSTREAM-").doesNotContain("KTABLE-").doesNotContain("KSTATE-");
        assertThat(description).contains("metric-evaluator", "alarm-lifecycle", "source-tracker", "raw-alarms-by-key",
                "raw-metrics-by-host", "raw-alarms-by-source", "alarm-lifecycle-store", "metric-series-store",
                "host-status-store", "source-status-store", "silences-store", "raw-alarms-source", "raw-metrics-source",
                "raw-alarm-decoder", "metric-decoder", "alarm-events-sink", "alarms-open-sink", "dlq-sink");
    }
}
