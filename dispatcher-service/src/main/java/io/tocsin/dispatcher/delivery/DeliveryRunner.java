package io.tocsin.dispatcher.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tocsin.common.dlq.DeadLetterWriter;
import io.tocsin.dispatcher.DeliveryFailedException;
import io.tocsin.dispatcher.DispatcherSettings;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.dispatcher.integration.IntegrationRegistry;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.DeliveryOutcome;
import io.tocsin.schema.DeliveryRecord;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries one {@link Delivery} to its end on the calling (virtual) thread: skips it when its outcome is already
 * recorded, waits for the integration's rate limit, calls the channel's {@link Notifier}, retries
 * {@link DeliveryResult.Retryable} answers with exponential backoff ({@code initial-backoff} doubling up to
 * {@code max-backoff}, ±20% jitter so dispatchers do not hammer a recovering receiver in step, never less than
 * the receiver's Retry-After) until {@code delivery-deadline}, and records the outcome.
 *
 * <p>Error contract: delivered → a DELIVERED record in {@code tocsin.deliveries}; refused for good
 * ({@link DeliveryResult.Permanent}, or a channel exception) or still failing at the deadline → the original
 * record to {@code tocsin.dlq} (stage {@code dispatcher/<integration name>}, header
 * {@value #INTEGRATION_HEADER}) and a DEAD_LETTERED record. An interrupt (shutdown) abandons the delivery
 * without recording anything: it is delivered again after the restart.
 *
 * <p>Metrics, tagged by integration name: {@code tocsin.dispatcher.attempts{result}},
 * {@code tocsin.dispatcher.failures{reason}} (client, server, auth, rate_limited, timeout, connect, config),
 * {@code tocsin.dispatcher.deliveries{outcome}} (delivered, dead_lettered, skipped),
 * {@code tocsin.dispatcher.attempt.duration} and {@code tocsin.dispatcher.delivery.latency} (event time to
 * receiver's acknowledgement) histograms.
 */
@Singleton
public class DeliveryRunner {

    /** Dead-letter header naming the integration's id, which DLQ replay selects on. */
    public static final String INTEGRATION_HEADER = "tocsin.dlq.integration.id";

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryRunner.class);
    private static final double JITTER = 0.2;

    private final IntegrationRegistry registry;
    private final DeliveryLog log;
    private final DeadLetterWriter deadLetters;
    private final DispatcherSettings settings;
    private final MeterRegistry meters;
    private final java.util.Map<String, IntegrationMeters> integrationMeters = new java.util.concurrent.ConcurrentHashMap<>();

    public DeliveryRunner(IntegrationRegistry registry, DeliveryLog log, DeadLetterWriter deadLetters,
                          DispatcherSettings settings, MeterRegistry meters) {
        this.registry = registry;
        this.log = log;
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.meters = meters;
    }

    /**
     * Delivers, retrying as described above, then records the outcome; {@code onRecorded} runs once Kafka has the
     * outcome, or at once for a skipped delivery.
     */
    public void run(Delivery delivery, TokenBucket bucket, Runnable onRecorded) {
        AlarmEvent event = delivery.event();
        IntegrationConfig integration = registry.find(delivery.integrationId()).orElse(null);
        String skip = skipReason(delivery, integration);
        if (skip != null) {
            LOG.debug("Not delivering {} to {}: {}", event.getEventId(), delivery.integrationId(), skip);
            count(integration == null ? delivery.integrationId() : integration.name(), "skipped");
            onRecorded.run();
            return;
        }
        long deadline = System.nanoTime() + settings.deliveryDeadline().toNanos();
        Duration backoff = settings.initialBackoff();
        for (int attempt = 1; ; attempt++) {
            try {
                bucket.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            IntegrationConfig current = registry.find(delivery.integrationId()).orElse(null); // the newest settings
            if (current == null || !current.enabled()) {
                LOG.debug("Not retrying {} to {}: the integration was deleted or disabled", event.getEventId(), integration.name());
                count(integration.name(), "skipped");
                onRecorded.run();
                return;
            }
            integration = current;
            Notifier notifier = registry.notifierFor(integration);
            long started = System.nanoTime();
            DeliveryResult result = Notifier.attempt(notifier, event, integration);
            long took = System.nanoTime() - started;
            if (Thread.currentThread().isInterrupted()) {
                return; // stopping: the outcome is unknown, record nothing
            }
            IntegrationMeters meter = metersOf(integration.name());
            meter.attemptDuration.record(took, java.util.concurrent.TimeUnit.NANOSECONDS);
            meter.attempts(result).increment();
            switch (result) {
                case DeliveryResult.Delivered delivered -> {
                    meter.latency.record(Duration.between(event.getEventTime(), Instant.now()));
                    finish(delivery, integration, attempt, DeliveryOutcome.DELIVERED, "delivered", took, onRecorded);
                    return;
                }
                case DeliveryResult.Permanent permanent -> {
                    failed(integration, permanent.failure());
                    LOG.warn("{} refused {} for good (attempt {}): {}", integration.name(), event.getEventId(), attempt, permanent.reason());
                    deadLetter(delivery, integration, attempt, permanent.reason(), took, onRecorded);
                    return;
                }
                case DeliveryResult.Retryable retryable -> {
                    failed(integration, retryable.failure());
                    long remaining = deadline - System.nanoTime();
                    Duration wait = nextWait(backoff, retryable);
                    // A Retry-After beyond the deadline is the receiver telling us not to come back in time.
                    if (remaining <= 0 || retryable.retryAfter().map(after -> after.toNanos() > remaining).orElse(false)) {
                        LOG.warn("Giving up delivering {} to {} after {} attempts ({} deadline): {}", event.getEventId(),
                                integration.name(), attempt, settings.deliveryDeadline(), retryable.reason());
                        deadLetter(delivery, integration, attempt, "gave up after " + attempt + " attempts: " + retryable.reason(),
                                took, onRecorded);
                        return;
                    }
                    // Near the deadline, make one last attempt at the deadline rather than give up early.
                    wait = wait.toNanos() > remaining ? Duration.ofNanos(remaining) : wait;
                    LOG.debug("Delivering {} to {} failed (attempt {}): {}; retrying in {} ms", event.getEventId(),
                            integration.name(), attempt, retryable.reason(), wait.toMillis());
                    try {
                        Thread.sleep(wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
                }
            }
        }
    }

    /** Why the delivery is not made at all, or null when it must be. */
    private String skipReason(Delivery delivery, IntegrationConfig integration) {
        AlarmEvent event = delivery.event();
        if (integration == null) {
            return "the integration was deleted";
        }
        if (!integration.enabled()) {
            return "the integration is disabled";
        }
        if (delivery.origin() == Delivery.Origin.REPLAY) {
            return log.delivered(integration.id(), event.getAlarmKey(), event.getStatus(), event.getEventId())
                    ? "delivered since it was dead-lettered" : null;
        }
        if (log.finished(integration.id(), event)) {
            return "its outcome is already recorded";
        }
        // An ENDED of an alarm opened before the integration existed goes only where its CREATED went (backfill).
        if (event.getStatus() == AlarmEventStatus.ENDED && event.getOpenedAt().isBefore(integration.createdAt())) {
            String createdId = event.getAlarmKey() + "/" + event.getOpenedAt().toEpochMilli() + "/1";
            return log.delivered(integration.id(), event.getAlarmKey(), AlarmEventStatus.CREATED, createdId)
                    ? null : "the alarm opened before the integration was created and was not backfilled";
        }
        return null;
    }

    private void deadLetter(Delivery delivery, IntegrationConfig integration, int attempts, String reason, long tookNanos,
                            Runnable onRecorded) {
        // Until Kafka takes the dead letter the delivery is not finished: its offset stays uncommitted meanwhile.
        Duration wait = settings.initialBackoff();
        while (true) {
            try {
                deadLetters.send("dispatcher/" + integration.name(), delivery.original(),
                        new DeliveryFailedException(integration.name() + ": " + reason), Map.of(INTEGRATION_HEADER, integration.id()));
                break;
            } catch (IllegalStateException e) {
                LOG.error("Could not dead-letter {} for {}; retrying in {}", delivery.event().getEventId(), integration.name(), wait, e);
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return; // stopping: delivered again after the restart
                }
                wait = min(wait.multipliedBy(2), settings.maxBackoff());
            }
        }
        finish(delivery, integration, attempts, DeliveryOutcome.DEAD_LETTERED, reason, tookNanos, onRecorded);
    }

    private void finish(Delivery delivery, IntegrationConfig integration, int attempts, DeliveryOutcome outcome, String reason,
                        long tookNanos, Runnable onRecorded) {
        AlarmEvent event = delivery.event();
        count(integration.name(), outcome == DeliveryOutcome.DELIVERED ? "delivered" : "dead_lettered");
        log.record(DeliveryRecord.newBuilder()
                .setIntegrationId(integration.id())
                .setAlarmKey(event.getAlarmKey())
                .setEventId(event.getEventId())
                .setStatus(event.getStatus())
                .setAttempt(attempts)
                .setOutcome(outcome)
                .setReason(reason)
                .setLatencyMillis(tookNanos / 1_000_000)
                .setTimestamp(Instant.now())
                .build(), onRecorded);
    }

    private void failed(IntegrationConfig integration, DeliveryResult.Failure failure) {
        metersOf(integration.name()).failures.get(failure).increment();
    }

    private void count(String integration, String outcome) {
        metersOf(integration).deliveries.computeIfAbsent(outcome, o -> meters.counter("tocsin.dispatcher.deliveries",
                "integration", integration, "outcome", o)).increment();
    }

    private IntegrationMeters metersOf(String integration) {
        return integrationMeters.computeIfAbsent(integration, name -> new IntegrationMeters(meters, name));
    }

    /** The meters of one integration, looked up once: the hot path only increments. */
    private static final class IntegrationMeters {
        final Timer attemptDuration;
        final Timer latency;
        final java.util.Map<DeliveryResult.Failure, io.micrometer.core.instrument.Counter> failures = new java.util.EnumMap<>(DeliveryResult.Failure.class);
        final java.util.Map<String, io.micrometer.core.instrument.Counter> attempts = new java.util.HashMap<>();
        final java.util.Map<String, io.micrometer.core.instrument.Counter> deliveries = new java.util.concurrent.ConcurrentHashMap<>();

        IntegrationMeters(MeterRegistry meters, String name) {
            attemptDuration = Timer.builder("tocsin.dispatcher.attempt.duration").tag("integration", name)
                    .description("Duration of one delivery attempt").publishPercentileHistogram().register(meters);
            latency = Timer.builder("tocsin.dispatcher.delivery.latency").tag("integration", name)
                    .description("From the alarm event's time to the receiver's acknowledgement").publishPercentileHistogram().register(meters);
            for (DeliveryResult.Failure failure : DeliveryResult.Failure.values()) {
                failures.put(failure, meters.counter("tocsin.dispatcher.failures", "integration", name, "reason", failure.tag()));
            }
            for (String result : java.util.List.of("delivered", "retryable", "permanent")) {
                attempts.put(result, meters.counter("tocsin.dispatcher.attempts", "integration", name, "result", result));
            }
        }

        io.micrometer.core.instrument.Counter attempts(DeliveryResult result) {
            return attempts.get(resultTag(result));
        }
    }

    /** The backoff with jitter, raised to the receiver's Retry-After when it asks for more. */
    static Duration nextWait(Duration backoff, DeliveryResult.Retryable retryable) {
        double factor = 1 - JITTER + ThreadLocalRandom.current().nextDouble() * 2 * JITTER;
        Duration jittered = Duration.ofNanos((long) (backoff.toNanos() * factor));
        return retryable.retryAfter().filter(after -> after.compareTo(jittered) > 0).orElse(jittered);
    }

    private static String resultTag(DeliveryResult result) {
        return switch (result) {
            case DeliveryResult.Delivered d -> "delivered";
            case DeliveryResult.Retryable r -> "retryable";
            case DeliveryResult.Permanent p -> "permanent";
        };
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
