package io.tocsin.rules.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.topics.TopicCatalogue;
import io.tocsin.schema.wire.Codecs;
import io.tocsin.testing.Eventually;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules service on a real broker across a restart that also changes a rule: open alarms (metric and raw) and
 * their evaluation state survive, and the changed thresholds judge the next samples.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RulesRestartTest {

    @TempDir
    Path dir;

    final String prefix = "rr" + System.nanoTime() + ".";
    final TopicCatalogue topics = new TopicCatalogue(prefix);
    final String bootstrap = KafkaBrokerExtension.broker().bootstrapServers();

    ApplicationContext start(Path rulesDir) {
        Map<String, Object> props = new HashMap<>(Map.of(
                "tocsin.kafka.bootstrap-servers", bootstrap,
                "tocsin.kafka.topic-prefix", prefix,
                "tocsin.rules.application-id", "rules-restart-" + prefix,
                "tocsin.rules.state-dir", dir.resolve("state").toString(),
                "tocsin.dispatcher.enabled", "false",
                "micronaut.server.port", "-1"));
        if (rulesDir != null) {
            props.put("tocsin.rules.rules-dir", rulesDir.toString());
        }
        return ApplicationContext.run(props);
    }

    void send(String topic, String key, String json) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, json.getBytes(StandardCharsets.UTF_8))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void cpu(double value, String at) {
        send(topics.rawMetrics().name(), "db1", """
                {"host": "db1", "cluster": "prod", "metric": "host.cpu.usage", "value": %s, "timestamp": "%s"}""".formatted(value, at));
    }

    List<String> events() {
        return TopicReader.readAll(bootstrap, topics.alarmEvents().name(), Duration.ofSeconds(2)).stream()
                .map(r -> Codecs.ALARM_EVENT.decode(r.value()))
                .map(e -> e.getType() + ":" + e.getStatus() + ":" + e.getSeverity() + ":" + e.getSequence())
                .toList();
    }

    @Test
    void openAlarmsSurviveARestartWithChangedRulesAndTheNewThresholdsApply() throws Exception {
        try (ApplicationContext first = start(null)) {
            cpu(95, "2026-11-20T10:00:00Z");
            send(topics.rawAlarms().name(), "cc-1:470", """
                    {"source": "cc-1", "alarmId": "470", "state": "RAISED", "type": "MySqlDisconnected", "title": "down"}""");
            Eventually.within(Duration.ofSeconds(60), () -> assertThat(events())
                    .containsExactlyInAnyOrder("HostCpuUsage:CREATED:CRITICAL:1", "MySqlDisconnected:CREATED:CRITICAL:1"));
        }

        // New rules: CPU is critical only above 99 %.
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("cpu.yaml"), """
                rules:
                  - type: HostCpuUsage
                    kind: metric
                    metric: host.cpu.usage
                    warning: {above: 80}
                    critical: {above: 99}
                    component: Host
                    categories: [Host]
                """);
        try (ApplicationContext second = start(rules)) {
            // The raw alarm is still open: a repeat is a duplicate. The CPU alarm is still open: 96 is now a WARNING.
            send(topics.rawAlarms().name(), "cc-1:470", """
                    {"source": "cc-1", "alarmId": "470", "state": "RAISED", "type": "MySqlDisconnected", "title": "down"}""");
            cpu(96, "2026-11-20T10:01:00Z");
            cpu(40, "2026-11-20T10:02:00Z");
            Eventually.within(Duration.ofSeconds(60), () -> assertThat(events()).containsExactlyInAnyOrder(
                    "HostCpuUsage:CREATED:CRITICAL:1", "MySqlDisconnected:CREATED:CRITICAL:1",
                    "HostCpuUsage:UPDATED:WARNING:2", "HostCpuUsage:ENDED:WARNING:3"));
        }
    }
}
