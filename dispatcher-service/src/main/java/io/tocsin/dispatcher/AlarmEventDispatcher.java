package io.tocsin.dispatcher;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.tocsin.common.dlq.DeadLetterWriter;
import io.tocsin.common.kafka.KafkaClients;
import io.tocsin.common.kafka.TopicProvisioner;
import io.tocsin.dispatcher.delivery.Delivery;
import io.tocsin.dispatcher.delivery.DeliveryEngine;
import io.tocsin.dispatcher.delivery.DeliveryLog;
import io.tocsin.dispatcher.delivery.EngineSettings;
import io.tocsin.dispatcher.delivery.OffsetTracker;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.dispatcher.integration.IntegrationRegistry;
import io.tocsin.dispatcher.integration.IntegrationStore;
import io.tocsin.dispatcher.routing.IntegrationMatcher;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.wire.Codecs;
import io.tocsin.schema.wire.InvalidRecordException;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code tocsin.alarm-events} and hands each event to the {@link DeliveryEngine}, once per integration
 * that wants it ({@link IntegrationMatcher}). This thread only reads, matches and commits; deliveries run
 * concurrently in the engine, in order per (integration, alarm).
 *
 * <p>At-least-once, without repeats after an acknowledgement: an offset is committed (asynchronously, every
 * {@code commit-interval}) only once every delivery of its record and of every earlier record of the partition
 * has its outcome recorded in {@code tocsin.deliveries} ({@link OffsetTracker}); before it delivers, the engine
 * skips events whose outcome is recorded ({@link DeliveryLog}), so a restart or rebalance repeats only the
 * deliveries that were in flight. Records that cannot be decoded go to the DLQ ({@code dispatcher/decode}).
 *
 * <p>Silences: an event the rules service marked {@code silenced} (its alarm is held back by a maintenance window)
 * goes to no integration and not to the DLQ either, since nothing failed; its offset advances with the others and it
 * is counted in {@code tocsin.dispatcher.events.silenced}.
 *
 * <p>Backpressure: when {@code max-pending} deliveries are unfinished the partitions are paused, and resumed
 * when half have finished. Nothing is dropped.
 */
@Context
@Requires(property = "tocsin.dispatcher.enabled", notEquals = "false")
public class AlarmEventDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(AlarmEventDispatcher.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration DRAIN_AT_STOP = Duration.ofSeconds(3);

    private final KafkaClients clients;
    private final DeadLetterWriter deadLetters;
    private final DispatcherSettings settings;
    private final EngineSettings engineSettings;
    private final IntegrationRegistry integrations;
    private final IntegrationStore store;
    private final IntegrationMatcher matcher;
    private final DeliveryEngine engine;
    private final DeliveryLog log;
    private final String topic;
    private final Counter silenced;
    private final Thread thread;
    private volatile boolean running = true;
    // Used by the dispatcher thread only, except wakeup(), the one thread-safe consumer method.
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private OffsetTracker offsets = new OffsetTracker();
    private boolean paused;
    private long lastCommit;

    public AlarmEventDispatcher(KafkaClients clients, TopicProvisioner provisioned, DeadLetterWriter deadLetters,
                                DispatcherSettings settings, EngineSettings engineSettings, IntegrationRegistry integrations,
                                IntegrationStore store, IntegrationMatcher matcher, DeliveryEngine engine, DeliveryLog log,
                                MeterRegistry meters) {
        this.clients = clients;
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.engineSettings = engineSettings;
        this.integrations = integrations;
        this.store = store;
        this.matcher = matcher;
        this.engine = engine;
        this.log = log;
        this.topic = clients.topics().alarmEvents().name();
        this.silenced = Counter.builder("tocsin.dispatcher.events.silenced")
                .description("Alarm events not delivered to any integration because a silence held them back").register(meters);
        // Daemon: should a stop ever hang past the join timeout, it must not keep the JVM alive.
        this.thread = Thread.ofPlatform().name("tocsin-dispatcher").daemon(true).unstarted(this::run);
        thread.start();
    }

    private void run() {
        try {
            // Markers and stored integrations first: without them a restart would re-send or miss.
            while (running && !(log.awaitCaughtUp(Duration.ofSeconds(1)) && store.awaitCaughtUp(Duration.ofSeconds(1)))) {
                LOG.info("Dispatcher waiting for the delivery log and the integrations to be read");
            }
        } catch (InterruptedException e) {
            return;
        }
        LOG.info("Dispatcher started on {} (group {})", topic, settings.groupId());
        while (running) {
            try {
                consumer = clients.newConsumer(settings.groupId(), "dispatcher");
                if (!running) {
                    return; // stopped while the consumer was being created: its wakeup may have been missed
                }
                offsets = new OffsetTracker();
                paused = false;
                consumer.subscribe(List.of(topic), new Rebalance());
                pollLoop();
            } catch (WakeupException | InterruptException e) {
                if (running) {
                    LOG.warn("Dispatcher woken up or interrupted while running; continuing", e);
                    Thread.interrupted();
                }
            } catch (RuntimeException e) {
                // E.g. a failed commit after a rebalance, or a DLQ write Kafka did not take. A fresh consumer
                // resumes from the committed offsets; the engine skips what is already recorded.
                LOG.error("Dispatcher failed; restarting its consumer in {}", ERROR_PAUSE, e);
                pause();
            } finally {
                closeConsumer();
            }
        }
    }

    private void pollLoop() {
        while (running) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                handle(record);
            }
            applyBackpressure();
            long now = System.nanoTime();
            if (now - lastCommit >= engineSettings.commitInterval().toNanos()) {
                lastCommit = now;
                commit(false);
            }
        }
    }

    /**
     * Hands one record to the engine, once per integration that wants it; dead-letters what cannot be decoded; skips
     * (and counts) what a silence holds back.
     */
    private void handle(ConsumerRecord<byte[], byte[]> record) {
        OffsetTracker.Pending pending = offsets.track(new TopicPartition(record.topic(), record.partition()), record.offset());
        try {
            AlarmEvent event;
            try {
                event = Codecs.ALARM_EVENT.decode(record.value());
            } catch (InvalidRecordException e) {
                deadLetters.send("dispatcher/decode", record, e);
                return;
            }
            if (event.getSilenced()) {
                silenced.increment();
                return;
            }
            for (IntegrationConfig integration : matcher.select(event, integrations.all())) {
                pending.acquire();
                engine.submit(new Delivery(integration.id(), event, record, Delivery.Origin.STREAM, pending::release));
            }
        } finally {
            pending.release();
        }
    }

    private void applyBackpressure() {
        int unfinished = engine.pending();
        if (!paused && unfinished >= engineSettings.maxPending()) {
            consumer.pause(consumer.assignment());
            paused = true;
            LOG.info("Pausing intake: {} deliveries unfinished (tocsin.dispatcher.engine.max-pending)", unfinished);
        } else if (paused && unfinished <= engineSettings.maxPending() / 2) {
            consumer.resume(consumer.paused());
            paused = false;
            LOG.info("Resuming intake: {} deliveries unfinished", unfinished);
        }
    }

    private void commit(boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> ready = offsets.committable();
        if (ready.isEmpty()) {
            return;
        }
        if (sync) {
            consumer.commitSync(ready);
        } else {
            consumer.commitAsync(ready, (committed, error) -> {
                if (error != null) {
                    // A later commit covers these offsets; at worst the engine skips recorded events after a restart.
                    LOG.warn("Committing dispatcher offsets failed: {}", error.toString());
                }
            });
        }
    }

    /** Commits what is finished before partitions go to another instance; the rest is delivered again there. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                commit(true);
            } catch (RuntimeException e) {
                LOG.warn("Committing before a rebalance failed: {}", e.toString());
            }
            offsets.forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (paused) {
                consumer.pause(partitions);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            offsets.forget(partitions);
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
            // A graceful stop lets deliveries in flight finish briefly, so fewer are repeated after the restart.
            engine.awaitIdle(DRAIN_AT_STOP);
            Map<TopicPartition, OffsetAndMetadata> ready = offsets.committable();
            if (!ready.isEmpty()) {
                current.commitSync(ready, Duration.ofSeconds(5));
            }
        } catch (RuntimeException | InterruptedException e) {
            LOG.warn("Final commit of the dispatcher failed: {}", e.toString());
        }
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
     * Stops: the consumer is woken up and closes itself after a short drain of the deliveries in flight (what is
     * not finished is delivered again after the restart). The thread closes its consumer itself, since a
     * KafkaConsumer must not be used from two threads.
     */
    @PreDestroy
    void close() throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        thread.join(STOP_TIMEOUT);
        if (thread.isAlive()) {
            thread.interrupt();
            LOG.warn("Dispatcher thread did not stop within {}", STOP_TIMEOUT);
        } else {
            LOG.info("Dispatcher stopped");
        }
    }
}
