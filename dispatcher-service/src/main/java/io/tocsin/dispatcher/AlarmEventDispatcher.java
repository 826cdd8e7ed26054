package io.tocsin.dispatcher;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.tocsin.common.dlq.DeadLetterWriter;
import io.tocsin.common.kafka.KafkaClients;
import io.tocsin.common.kafka.TopicProvisioner;
import io.tocsin.dispatcher.delivery.DeliveryEngine;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.dispatcher.integration.IntegrationRegistry;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.routing.IntegrationMatcher;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.wire.Codecs;
import io.tocsin.schema.wire.InvalidRecordException;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code tocsin.alarm-events} and delivers each event to the integrations that want it
 * ({@link IntegrationMatcher}), through {@link DeliveryEngine}. One thread, one record at a time, in partition
 * order, the deliveries of a record one after another: events of one alarm share a partition (keyed by alarm
 * key), so an ENDED never overtakes its CREATED.
 *
 * <p>At-least-once: a record's offset is committed only once every matching integration has it, or it has been
 * written to the DLQ ({@code dispatcher/decode} when it cannot be decoded, {@code dispatcher/<integration>}
 * when that integration refused it for good or the delivery deadline passed). A crash or a stop in between
 * delivers the record again; the webhook-id header lets receivers drop the duplicate.
 *
 * <p>Known limitation: head-of-line blocking. While one delivery is being retried (up to
 * {@code tocsin.dispatcher.delivery-deadline}), no other event of this dispatcher's partitions is delivered,
 * to any integration. Concurrency across alarms (per-key queues) is left for later.
 */
@Context
@Requires(property = "tocsin.dispatcher.enabled", notEquals = "false")
public class AlarmEventDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(AlarmEventDispatcher.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final KafkaClients clients;
    private final DeadLetterWriter deadLetters;
    private final DispatcherSettings settings;
    private final IntegrationRegistry integrations;
    private final IntegrationMatcher matcher;
    private final DeliveryEngine engine;
    private final String topic;
    private final Thread thread;
    private volatile boolean running = true;
    // Written and used by the dispatcher thread only, except wakeup(), the one thread-safe consumer method.
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    public AlarmEventDispatcher(KafkaClients clients, TopicProvisioner provisioned, DeadLetterWriter deadLetters,
                                DispatcherSettings settings, IntegrationRegistry integrations,
                                IntegrationMatcher matcher, DeliveryEngine engine) {
        this.clients = clients;
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.integrations = integrations;
        this.matcher = matcher;
        this.engine = engine;
        this.topic = clients.topics().alarmEvents().name();
        // Daemon: should a stop ever hang past the join timeout, it must not keep the JVM alive.
        this.thread = Thread.ofPlatform().name("tocsin-dispatcher").daemon(true).unstarted(this::run);
        thread.start();
        LOG.info("Dispatcher started on {} (group {})", topic, settings.groupId());
    }

    private void run() {
        while (running) {
            try {
                consumer = clients.newConsumer(settings.groupId(), "dispatcher");
                if (!running) {
                    return; // stopped while the consumer was being created: its wakeup may have been missed
                }
                consumer.subscribe(List.of(topic));
                pollLoop();
            } catch (WakeupException | InterruptException | InterruptedException e) {
                // Stopping: whatever was not committed is delivered again by whoever takes the partitions.
                if (running) {
                    LOG.warn("Dispatcher woken up or interrupted while running; continuing", e);
                    Thread.interrupted();
                }
            } catch (RuntimeException e) {
                // E.g. a failed commit after a rebalance, or a DLQ write Kafka did not take. A fresh consumer
                // resumes from the committed offsets, so the record in hand is handled again, not skipped.
                LOG.error("Dispatcher failed; restarting its consumer in {}", ERROR_PAUSE, e);
                pause();
            } finally {
                closeConsumer();
            }
        }
    }

    private void pollLoop() throws InterruptedException {
        while (running) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                if (!running) {
                    return;
                }
                handle(record);
                // Per record, so at most the record in hand is delivered twice after a crash.
                consumer.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()),
                        new OffsetAndMetadata(record.offset() + 1)));
            }
        }
    }

    /** Delivers one record to every integration that wants it; dead-letters what cannot be delivered. */
    private void handle(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
        AlarmEvent event;
        try {
            event = Codecs.ALARM_EVENT.decode(record.value());
        } catch (InvalidRecordException e) {
            deadLetters.send("dispatcher/decode", record, e);
            return;
        }
        for (IntegrationConfig integration : matcher.select(event, integrations.all())) {
            DeliveryResult result = engine.deliver(integrations.notifierFor(integration), event, integration);
            if (!(result instanceof DeliveryResult.Delivered)) {
                deadLetters.send("dispatcher/" + integration.name(), record,
                        new DeliveryFailedException(integration.name() + ": " + result.reason()));
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(ERROR_PAUSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeConsumer() {
        KafkaConsumer<byte[], byte[]> current = consumer;
        consumer = null;
        if (current == null) {
            return;
        }
        boolean interrupted = Thread.interrupted(); // an interrupted close would abort with InterruptException
        try {
            current.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warn("Closing the dispatcher's consumer failed", e);
        } finally {
            if (interrupted && running) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Stops at once rather than finishing the record in hand: a delivery being retried may take up to the
     * delivery deadline. The interrupt ends a backoff or HTTP wait; the record is then neither committed nor
     * dead-lettered and is delivered again after the restart. The thread closes its consumer itself, since a
     * KafkaConsumer must not be used from two threads.
     */
    @PreDestroy
    void close() throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        thread.interrupt();
        thread.join(STOP_TIMEOUT);
        if (thread.isAlive()) {
            LOG.warn("Dispatcher thread did not stop within {}", STOP_TIMEOUT);
        } else {
            LOG.info("Dispatcher stopped");
        }
    }
}
