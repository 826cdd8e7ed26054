package io.tocsin.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.tocsin.common.dlq.DeadLetterHeaders;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.dispatcher.integration.IntegrationRegistry;
import io.tocsin.dispatcher.testing.RecordingReceiver;
import io.tocsin.dispatcher.testing.RecordingReceiver.Response;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.wire.Codecs;
import io.tocsin.testing.Eventually;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The dispatcher end to end: a real broker, a real Micronaut context and a real HTTP receiver. */
@ExtendWith(KafkaBrokerExtension.class)
class AlarmEventDispatcherTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final String prefix = "t" + System.nanoTime() + ".";
    private final String groupId = "dispatcher-" + System.nanoTime();
    private final String bootstrap = KafkaBrokerExtension.broker().bootstrapServers();
    private RecordingReceiver receiver;
    private ApplicationContext context;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = new RecordingReceiver();
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
        receiver.close();
    }

    private void startDispatcher() {
        Map<String, Object> props = new HashMap<>();
        props.put("tocsin.kafka.bootstrap-servers", bootstrap);
        props.put("tocsin.kafka.topic-prefix", prefix);
        props.put("tocsin.dispatcher.group-id", groupId);
        props.put("tocsin.dispatcher.initial-backoff", "10ms");
        props.put("tocsin.dispatcher.max-backoff", "50ms");
        props.put("tocsin.dispatcher.delivery-deadline", "2s");
        props.put("tocsin.dispatcher.integrations.hook.service", "webhook");
        props.put("tocsin.dispatcher.integrations.hook.url", receiver.url("/hook"));
        context = ApplicationContext.run(props);
    }

    private void produce(String key, byte[]... values) {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(prefix + "alarm-events", key.getBytes(StandardCharsets.UTF_8), value));
            }
            producer.flush();
        }
    }

    private static byte[] encode(AlarmEvent event) {
        return Codecs.ALARM_EVENT.encode(event);
    }

    @Test
    void deliversCreatedThenEndedSkipsUpdatedAndDeadLettersGarbage() {
        startDispatcher();
        AlarmEvent created = TestEvents.event("470", AlarmEventStatus.CREATED);
        AlarmEvent updated = TestEvents.event("470", AlarmEventStatus.UPDATED);
        AlarmEvent ended = TestEvents.event("470", AlarmEventStatus.ENDED);
        AlarmEvent afterGarbage = TestEvents.event("471", AlarmEventStatus.CREATED);

        produce(created.getAlarmKey(), encode(created), encode(updated), encode(ended));
        // Same key, so the same partition: the valid record is read after the garbage one.
        produce("cmon:471", "not avro".getBytes(StandardCharsets.UTF_8), encode(afterGarbage));

        Eventually.within(WAIT, () -> assertThat(receiver.requests()).hasSize(3));
        List<RecordingReceiver.Request> alarm470 = receiver.requests().stream()
                .filter(request -> request.body().startsWith("{\"id\":470,")).toList();
        assertThat(alarm470).extracting(request -> request.headers().get("webhook-id"))
                .containsExactly(created.getEventId(), ended.getEventId());
        assertThat(alarm470.get(0).body()).contains("\"status\":\"CREATED\"");
        assertThat(alarm470.get(1).body()).contains("\"status\":\"ENDED\"");
        assertThat(receiver.bodies()).filteredOn(body -> body.startsWith("{\"id\":471,\"status\":\"CREATED\"")).hasSize(1);

        List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.readAll(bootstrap, prefix + "dlq", WAIT);
        assertThat(dead).hasSize(1);
        ConsumerRecord<byte[], byte[]> letter = dead.getFirst();
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
        assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(prefix + "alarm-events");
        assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.STAGE)).isEqualTo("dispatcher/decode");
        assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ERROR_MESSAGE)).isNotBlank();

        // Every record handled is committed: 3 + 2 records over the topic's partitions.
        Eventually.within(WAIT, () -> assertThat(committedTotal()).isEqualTo(5));
    }

    @Test
    void deadLettersWhatTheReceiverRefuses() {
        receiver.byDefault(Response.status(400));
        startDispatcher();
        AlarmEvent created = TestEvents.event("480", AlarmEventStatus.CREATED);

        produce(created.getAlarmKey(), encode(created));

        Eventually.within(WAIT, () -> assertThat(TopicReader.readAll(bootstrap, prefix + "dlq", WAIT)).hasSize(1));
        ConsumerRecord<byte[], byte[]> letter = TopicReader.readAll(bootstrap, prefix + "dlq", WAIT).getFirst();
        assertThat(letter.value()).isEqualTo(encode(created));
        assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.STAGE)).isEqualTo("dispatcher/hook");
        assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(prefix + "alarm-events");
        assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ERROR_MESSAGE))
                .isEqualTo("hook: HTTP 400").doesNotContain("127.0.0.1");
        assertThat(receiver.requests()).hasSize(1);
        Eventually.within(WAIT, () -> assertThat(committedTotal()).isEqualTo(1));
    }

    @Test
    void refusesToStartWithAnUnsupportedService() {
        Map<String, Object> props = Map.of(
                "tocsin.dispatcher.enabled", "false",
                "tocsin.dispatcher.integrations.pager.service", "carrier-pigeon");

        assertThatThrownBy(() -> ApplicationContext.run(props))
                .rootCause().hasMessageContaining("'pager'").hasMessageContaining("carrier-pigeon")
                .hasMessageContaining("supported services: ").hasMessageContaining("webhook");
    }

    @Test
    void refusesToStartWithAWebhookWithoutAnHttpUrl() {
        Map<String, Object> props = Map.of(
                "tocsin.dispatcher.enabled", "false",
                "tocsin.dispatcher.integrations.ops.service", "webhook",
                "tocsin.dispatcher.integrations.ops.url", "ftp://example.org/hooks/SECRET123");

        assertThatThrownBy(() -> ApplicationContext.run(props))
                .rootCause().hasMessageContaining("tocsin.dispatcher.integrations.ops.url")
                .hasMessageNotContaining("SECRET123");
    }

    @Test
    void refusesToStartWithAMisspelledSetting() {
        Map<String, Object> props = Map.of(
                "tocsin.dispatcher.enabled", "false",
                "tocsin.dispatcher.integrations.ops.service", "webhook",
                "tocsin.dispatcher.integrations.ops.url", "https://example.org/hook",
                "tocsin.dispatcher.integrations.ops.fromat", "extended");

        assertThatThrownBy(() -> ApplicationContext.run(props))
                .rootCause().hasMessageContaining("tocsin.dispatcher.integrations.ops.fromat")
                .hasMessageContaining("is not a setting of the webhook channel");
    }

    @Test
    void bindsIntegrationListsAndFlags() {
        Map<String, Object> props = Map.of(
                "tocsin.dispatcher.enabled", "false",
                "tocsin.dispatcher.integrations.ops.service", "webhook",
                "tocsin.dispatcher.integrations.ops.url", "https://example.org/hook",
                "tocsin.dispatcher.integrations.ops.clusters", List.of("prod-galera", "prod-pg"),
                "tocsin.dispatcher.integrations.ops.events", "All Critical Events,Network",
                "tocsin.dispatcher.integrations.ops.send-ended", "false",
                "tocsin.dispatcher.integrations.ops.header.X-Team", "dba");
        try (ApplicationContext ctx = ApplicationContext.run(props)) {
            assertThat(ctx.getBean(IntegrationRegistry.class).all()).containsExactly(new IntegrationConfig("ops", "ops", "webhook",
                    Map.of("url", "https://example.org/hook", "header.X-Team", "dba"), List.of("prod-galera", "prod-pg"),
                    List.of("All Critical Events", "Network"), true, false, false, java.time.Instant.EPOCH, true));
            assertThat(ctx.containsBean(AlarmEventDispatcher.class)).isFalse();
            DispatcherSettings settings = ctx.getBean(DispatcherSettings.class);
            assertThat(settings.groupId()).isEqualTo("tocsin-dispatcher");
            assertThat(settings.deliveryDeadline()).isEqualTo(Duration.ofMinutes(10));
            assertThat(settings.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
            assertThat(settings.maxBackoff()).isEqualTo(Duration.ofSeconds(60));
            assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(15));
        }
    }

    private long committedTotal() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get();
            return offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
