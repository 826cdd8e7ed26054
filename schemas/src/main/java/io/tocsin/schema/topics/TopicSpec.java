package io.tocsin.schema.topics;

import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic of the catalogue: its full name (prefix included), the serdes of its keys and values, and the topic
 * configuration it is created with.
 *
 * @param name       full topic name, e.g. {@code tocsin.raw.alarms}
 * @param keySerde   serde of record keys
 * @param valueSerde serde of record values
 * @param configs    topic configs set at creation ({@code cleanup.policy}, {@code retention.ms})
 */
public record TopicSpec<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> configs) {

    public boolean compacted() {
        return "compact".equals(configs.get("cleanup.policy"));
    }
}
