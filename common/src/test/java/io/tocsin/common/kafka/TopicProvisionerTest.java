package io.tocsin.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tocsin.testing.KafkaBroker;
import io.tocsin.testing.KafkaBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class TopicProvisionerTest {

    static KafkaClients clients(String bootstrap, String prefix, Duration timeout) {
        return new KafkaClients(new KafkaSettings(bootstrap, prefix, Map.of(), true, 2, (short) -1, timeout), "test");
    }

    @Test
    void createsWhatIsMissingAndNeverAltersWhatExists(KafkaBroker broker) throws Exception {
        String prefix = "prov" + System.nanoTime() + ".";
        KafkaClients clients = clients(broker.bootstrapServers(), prefix, Duration.ofSeconds(30));
        try (Admin admin = clients.newAdmin()) {
            // An operator created the raw alarms topic with 1 partition and 1 day retention.
            admin.createTopics(List.of(new NewTopic(prefix + "raw.alarms", Optional.of(1), Optional.empty())
                    .configs(Map.of("retention.ms", "86400000")))).all().get();

            new TopicProvisioner(clients).provision();
            new TopicProvisioner(clients).provision(); // idempotent

            var topics = admin.describeTopics(clients.topics().all().stream().map(t -> t.name()).toList()).allTopicNames().get();
            assertThat(topics).hasSize(10).containsKey(prefix + "silences").containsKey(prefix + "backups");
            assertThat(topics.get(prefix + "alarm-events").partitions()).hasSize(2);
            assertThat(topics.get(prefix + "raw.alarms").partitions()).as("existing topic untouched").hasSize(1);

            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(
                    new ConfigResource(ConfigResource.Type.TOPIC, prefix + "raw.alarms"),
                    new ConfigResource(ConfigResource.Type.TOPIC, prefix + "alarms.open"),
                    new ConfigResource(ConfigResource.Type.TOPIC, prefix + "dlq"))).all().get();
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, prefix + "raw.alarms")).get("retention.ms").value())
                    .isEqualTo("86400000");
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, prefix + "alarms.open")).get("cleanup.policy").value())
                    .isEqualTo("compact");
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, prefix + "dlq")).get("retention.ms").value())
                    .isEqualTo(Long.toString(Duration.ofDays(30).toMillis()));
        }
    }

    @Test
    void anUnreachableKafkaFailsTheStartWithAClearMessage() {
        KafkaClients clients = clients("127.0.0.1:1", "x.", Duration.ofSeconds(2));
        assertThatThrownBy(() -> new TopicProvisioner(clients).provision())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Kafka at 127.0.0.1:1 did not answer within PT2S");
    }
}
