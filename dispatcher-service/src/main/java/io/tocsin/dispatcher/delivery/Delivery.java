package io.tocsin.dispatcher.delivery;

import io.tocsin.schema.AlarmEvent;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One event to deliver to one integration, as the engine queues it.
 *
 * @param integrationId the integration; looked up again before every attempt, so a fixed URL or a disabled or
 *                      deleted integration takes effect even for deliveries already queued or retrying
 * @param event         the event
 * @param original      the record it was read from (what a dead letter carries); for backfills and replays a
 *                      record re-encoded from the event
 * @param origin        why it is being delivered
 * @param onDone        called exactly once, when the outcome is recorded in Kafka (or the delivery was skipped)
 */
public record Delivery(String integrationId, AlarmEvent event, ConsumerRecord<byte[], byte[]> original, Origin origin,
                       Runnable onDone) {

    public Delivery {
        Objects.requireNonNull(integrationId, "integrationId");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(origin, "origin");
        onDone = onDone == null ? () -> { } : onDone;
    }

    /** Why an event is delivered. */
    public enum Origin {
        /** Read from {@code tocsin.alarm-events}: skipped when its outcome is already recorded. */
        STREAM,
        /** An alarm open when a backfilling integration was created: skipped when already recorded. */
        BACKFILL,
        /** Replayed from the DLQ by an operator: skipped only when it was delivered since. */
        REPLAY
    }
}
