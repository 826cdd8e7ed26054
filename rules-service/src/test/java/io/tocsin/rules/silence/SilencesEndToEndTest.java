package io.tocsin.rules.silence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.rules.testing.RulesHarness;
import io.tocsin.schema.topics.TopicCatalogue;
import io.tocsin.schema.wire.Codecs;
import io.tocsin.testing.Eventually;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A silence created through the API holds back a matching alarm's events on the real broker; ending it through the
 * API releases the still-open alarm's CREATED; an alarm that opened and ended inside it stays silent.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SilencesEndToEndTest {

    static final ObjectMapper JSON = new ObjectMapper();

    RulesHarness tocsin = new RulesHarness().start(Map.of("tocsin.rules.enabled", "true", "tocsin.rules.check-interval", "200ms"));
    TopicCatalogue topics = new TopicCatalogue(tocsin.prefix);

    @AfterEach
    void stop() {
        tocsin.close();
    }

    void raw(String id, String state, String type) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, tocsin.bootstrap);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.rawAlarms().name(), "cc-1:" + id, """
                    {"source": "cc-1", "alarmId": "%s", "state": "%s", "type": "%s", "cluster": "prod-galera", "title": "t"}"""
                    .formatted(id, state, type).getBytes(StandardCharsets.UTF_8))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    List<String> events() {
        return TopicReader.readAll(tocsin.bootstrap, topics.alarmEvents().name(), Duration.ofSeconds(1)).stream()
                .map(r -> Codecs.ALARM_EVENT.decode(r.value()))
                .map(e -> e.getAlarmId() + ":" + e.getStatus() + (e.getSilenced() ? "(silenced)" : "") + "#" + e.getSequence())
                .toList();
    }

    @Test
    void aSilenceHoldsEventsBackAndEndingItReleasesTheStillOpenAlarm() throws Exception {
        var created = tocsin.call("POST", "/api/v1/silences", """
                {"cluster": "prod-*", "duration": "PT1H", "author": "ops", "comment": "upgrade"}""");
        assertThat(created.statusCode()).isEqualTo(201);
        String id = JSON.readTree(created.body()).get("id").asText();
        // The topology's global store follows tocsin.silences; give it the record before the alarms arrive.
        Thread.sleep(1000);

        raw("1", "RAISED", "MySqlDisconnected");
        raw("2", "RAISED", "MySqlDisconnected");
        raw("2", "CLEARED", "MySqlDisconnected");
        // Alarms 1 and 2 may sit on different partitions: order holds per alarm only.
        Eventually.within(Duration.ofSeconds(60), () -> assertThat(events())
                .containsExactlyInAnyOrder("1:CREATED(silenced)#1", "2:CREATED(silenced)#1", "2:ENDED(silenced)#2"));

        assertThat(tocsin.call("DELETE", "/api/v1/silences/" + id, null).statusCode()).isEqualTo(200);
        Eventually.within(Duration.ofSeconds(30), () -> assertThat(events().stream().filter(e -> e.startsWith("1:")))
                .containsExactly("1:CREATED(silenced)#1", "1:CREATED#2"));
        raw("1", "CLEARED", "MySqlDisconnected");
        Eventually.within(Duration.ofSeconds(30), () -> assertThat(events().stream().filter(e -> e.startsWith("1:")))
                .containsExactly("1:CREATED(silenced)#1", "1:CREATED#2", "1:ENDED#3"));
        assertThat(events()).hasSize(5);
    }
}
