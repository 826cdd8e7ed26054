package io.tocsin.dispatcher.delivery;

import io.micronaut.serde.annotation.Serdeable;
import io.tocsin.common.dlq.DeadLetterHeaders;
import io.tocsin.common.kafka.CompactedTopicReader;
import io.tocsin.common.kafka.KafkaClients;
import io.tocsin.dispatcher.integration.IntegrationRegistry;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.wire.Codecs;
import io.tocsin.schema.wire.InvalidRecordException;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Replays dead-lettered deliveries ({@code POST /api/v1/dlq/replay}): scans {@code tocsin.dlq} for the
 * dispatcher's dead letters (those with the {@link DeliveryRunner#INTEGRATION_HEADER} header) matching the
 * filters, and hands each distinct (integration, event) to the engine once, as a
 * {@link Delivery.Origin#REPLAY}: it is skipped if it has been delivered since, so replaying twice does not send
 * twice. A replay that fails again is dead-lettered again. The integration's current settings are used, so a
 * fixed URL takes effect.
 */
@Singleton
public class DlqReplayer {

    private final KafkaClients clients;
    private final DeliveryEngine engine;
    private final IntegrationRegistry registry;

    public DlqReplayer(KafkaClients clients, DeliveryEngine engine, IntegrationRegistry registry) {
        this.clients = clients;
        this.engine = engine;
        this.registry = registry;
    }

    /** How many dead letters matched, how many were handed over for delivery, how many were left (integration gone). */
    @Serdeable
    @io.swagger.v3.oas.annotations.media.Schema(name = "ReplayResult")
    public record Replayed(int matched, int replayed, int skipped) {
    }

    public Replayed replay(String integrationId, String alarmKey, Instant from, Instant to) {
        Set<String> seen = new HashSet<>();
        int[] counts = new int[3];
        CompactedTopicReader.readToEnd(clients, clients.topics().dlq().name(), Duration.ofSeconds(60), letter -> {
            String integration = DeadLetterHeaders.text(letter.headers(), DeliveryRunner.INTEGRATION_HEADER);
            if (integration == null || (integrationId != null && !integrationId.equals(integration))) {
                return;
            }
            String key = letter.key() == null ? null : new String(letter.key(), StandardCharsets.UTF_8);
            if (alarmKey != null && !alarmKey.equals(key)) {
                return;
            }
            Instant failedAt = failedAt(letter);
            if ((from != null && (failedAt == null || failedAt.isBefore(from))) || (to != null && (failedAt == null || !failedAt.isBefore(to)))) {
                return;
            }
            AlarmEvent event;
            try {
                event = Codecs.ALARM_EVENT.decode(letter.value());
            } catch (InvalidRecordException e) {
                return; // not an alarm event: nothing the dispatcher could deliver
            }
            if (!seen.add(integration + "|" + event.getEventId())) {
                return;
            }
            counts[0]++;
            if (registry.find(integration).isEmpty()) {
                counts[2]++;
                return;
            }
            engine.submit(new Delivery(integration, event, original(letter), Delivery.Origin.REPLAY, null));
            counts[1]++;
        });
        return new Replayed(counts[0], counts[1], counts[2]);
    }

    private static Instant failedAt(ConsumerRecord<byte[], byte[]> letter) {
        String text = DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.FAILED_AT);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The dead letter as the record it came from, so a second failure is dead-lettered with the same origin. */
    private static ConsumerRecord<byte[], byte[]> original(ConsumerRecord<byte[], byte[]> letter) {
        String topic = DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.SOURCE_TOPIC);
        int partition = parse(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.SOURCE_PARTITION), -1);
        long offset = parse(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.SOURCE_OFFSET), -1);
        RecordHeaders headers = new RecordHeaders(letter.headers().toArray());
        return new ConsumerRecord<>(topic == null ? letter.topic() : topic, partition, offset, letter.timestamp(),
                letter.timestampType(), -1, -1, letter.key(), letter.value(), headers, java.util.Optional.empty());
    }

    private static int parse(String text, int fallback) {
        try {
            return text == null ? fallback : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
