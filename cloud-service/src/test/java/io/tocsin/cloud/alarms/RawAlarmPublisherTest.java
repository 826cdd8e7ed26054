package io.tocsin.cloud.alarms;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.common.kafka.KafkaClients;
import io.tocsin.common.kafka.KafkaSettings;
import io.tocsin.schema.AlarmKeys;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.Severity;
import io.tocsin.schema.topics.TopicSpec;
import io.tocsin.schema.wire.Codecs;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.TopicReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The one raw-alarm writer against a real broker: once {@code publish} returns acknowledged the alarm is on
 * {@code raw.alarms} keyed by {@link AlarmKeys#of(RawAlarm)}, and {@code send} does not wait; a producer whose broker
 * is unreachable gives a not-acknowledged result with a reason within its own short limits, not an exception and not
 * a hang.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RawAlarmPublisherTest {

    static RawAlarm alarm(String id, RawAlarmState state) {
        return RawAlarm.newBuilder().setSource("tocsin-cloud").setAlarmId(id).setState(state).setType("CloudInstanceStopped")
                .setSeverity(Severity.CRITICAL).setComponent("Host").setTitle("i-1 stopped").setTimestamp(Instant.parse("2026-11-22T02:00:00.123Z")) // the schema keeps milliseconds
                .setLabels(Map.of("instance", "i-1")).build();
    }

    @Test
    void anAcknowledgedAlarmIsOnTheTopicKeyedByItsAlarmKey() throws Exception {
        String bootstrap = KafkaBrokerExtension.broker().bootstrapServers();
        KafkaClients clients = clients(bootstrap, "pub" + System.nanoTime() + ".");
        TopicSpec<String, RawAlarm> topic = clients.topics().rawAlarms();
        try (Admin admin = clients.newAdmin()) {
            admin.createTopics(List.of(new NewTopic(topic.name(), 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        RawAlarm raised = alarm("cloud-stopped-1", RawAlarmState.RAISED);
        RawAlarm other = alarm("cloud-stopped-2", RawAlarmState.RAISED);

        try (RawAlarmPublisher publisher = new RawAlarmPublisher(clients, null)) {
            RawAlarmPublisher.Published published = publisher.publish(raised);
            assertThat(published).isEqualTo(new RawAlarmPublisher.Published(true, null));
            List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readAll(bootstrap, topic.name(), Duration.ofSeconds(10));
            assertThat(records).as("on the topic once publish returned").hasSize(1);
            assertThat(new String(records.getFirst().key(), StandardCharsets.UTF_8)).isEqualTo(AlarmKeys.of(raised))
                    .isEqualTo("tocsin-cloud:cloud-stopped-1");
            assertThat(Codecs.RAW_ALARM.decode(records.getFirst().value())).isEqualTo(raised);

            var sent = publisher.send(other);
            assertThat(sent.get(15, TimeUnit.SECONDS).topic()).isEqualTo(topic.name());
        }
        assertThat(TopicReader.readAll(bootstrap, topic.name(), Duration.ofSeconds(10)))
                .extracting(record -> new String(record.key(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder(AlarmKeys.of(raised), AlarmKeys.of(other));
    }

    @Test
    void anUnreachableBrokerGivesANotAcknowledgedResultWithAReason() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort(); // free once closed: nothing listens there
        }
        KafkaClients clients = clients("127.0.0.1:" + closed, "nowhere.");
        Map<String, Object> config = clients.producerConfig("unreachable");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 500);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 500);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600);
        try (RawAlarmPublisher publisher = new RawAlarmPublisher(clients.newProducer(config), clients.topics().rawAlarms())) {
            long start = System.nanoTime();
            RawAlarmPublisher.Published published = publisher.publish(alarm("cloud-stopped-3", RawAlarmState.CLEARED));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(published.acknowledged()).isFalse();
            assertThat(published.failure()).as("the reason").contains("TimeoutException");
            assertThat(took).as("within the producer's limits, not the publisher's %s", RawAlarmPublisher.ACK_TIMEOUT)
                    .isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aWaitPastItsLimitIsNotAcknowledged() {
        var never = new java.util.concurrent.CompletableFuture<Void>();
        RawAlarmPublisher.Published published = RawAlarmPublisher.await(never, Duration.ofMillis(50));
        assertThat(published).isEqualTo(new RawAlarmPublisher.Published(false, "not acknowledged within 50 ms"));
    }

    private static KafkaClients clients(String bootstrap, String prefix) {
        return new KafkaClients(new KafkaSettings(bootstrap, prefix, Map.of(), false, 1, (short) 1, Duration.ofSeconds(10)), "cloud-test");
    }
}
