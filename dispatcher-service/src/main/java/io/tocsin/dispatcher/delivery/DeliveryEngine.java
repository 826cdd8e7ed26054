package io.tocsin.dispatcher.delivery;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.dispatcher.integration.IntegrationRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs deliveries concurrently while keeping them in order where order matters: one lane per (integration,
 * alarm key), each lane a FIFO drained by one virtual thread, so an ENDED never overtakes its CREATED at the same
 * integration, while different alarms and different integrations proceed independently. A delivery that is
 * retrying holds only its own lane; a slow or failing integration uses at most
 * {@code max-in-flight-per-integration} connections and never delays another integration.
 *
 * <p>Bounded: {@link #pending()} counts deliveries submitted and not yet finished; the consumer pauses its
 * partitions when it reaches {@code max-pending} (see {@code AlarmEventDispatcher}). Lanes exist only while they
 * hold work, so memory follows the backlog, not the number of alarms ever seen.
 *
 * <p>Error contract: {@link #submit} never throws; every submitted delivery's {@code onDone} is called once its
 * outcome (delivered, dead-lettered, skipped) is recorded, except at shutdown, when unfinished deliveries are
 * abandoned uncommitted and delivered again by whoever consumes the partition next.
 */
@Singleton
public class DeliveryEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryEngine.class);

    private final IntegrationRegistry registry;
    private final DeliveryRunner runner;
    private final EngineSettings settings;
    private final MeterRegistry meters;
    private final Map<LaneKey, Lane> lanes = new ConcurrentHashMap<>();
    private final Map<String, IntegrationLimits> limits = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("tocsin-delivery-", 0).factory());
    private final AtomicInteger pending = new AtomicInteger();
    /** For a delivery whose integration was deleted: the runner skips it without an attempt. */
    private static final Notifier.RateLimit UNLIMITED = new Notifier.RateLimit(1_000_000, 1_000_000);

    public DeliveryEngine(IntegrationRegistry registry, DeliveryRunner runner, EngineSettings settings, MeterRegistry meters) {
        this.registry = registry;
        this.runner = runner;
        this.settings = settings;
        this.meters = meters;
        Gauge.builder("tocsin.dispatcher.pending", pending, AtomicInteger::get)
                .description("Deliveries accepted from Kafka and not yet finished, all integrations").register(meters);
    }

    /** Queues a delivery behind the earlier ones of its (integration, alarm) lane. */
    public void submit(Delivery delivery) {
        pending.incrementAndGet();
        limitsOf(delivery.integrationId()).queued.incrementAndGet();
        LaneKey key = new LaneKey(delivery.integrationId(), delivery.event().getAlarmKey());
        Lane[] start = new Lane[1];
        lanes.compute(key, (k, lane) -> {
            Lane current = lane != null ? lane : new Lane();
            current.queue.add(delivery);
            if (!current.running) {
                current.running = true;
                start[0] = current;
            }
            return current;
        });
        if (start[0] != null) {
            Lane lane = start[0];
            threads.execute(() -> drain(key, lane));
        }
    }

    /** Deliveries submitted and not yet finished. */
    public int pending() {
        return pending.get();
    }

    private void drain(LaneKey key, Lane lane) {
        while (!Thread.currentThread().isInterrupted()) {
            Delivery delivery = lane.queue.poll();
            if (delivery == null) {
                boolean[] finished = new boolean[1];
                // Under the map's lock for this key: a submit either sees the lane running or finds none.
                lanes.compute(key, (k, current) -> {
                    if (current == lane && lane.queue.isEmpty()) {
                        lane.running = false;
                        finished[0] = true;
                        return null;
                    }
                    return current;
                });
                if (finished[0]) {
                    return;
                }
                continue;
            }
            run(delivery);
        }
    }

    private void run(Delivery delivery) {
        IntegrationLimits own = limitsOf(delivery.integrationId());
        try {
            own.permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        own.inFlight.incrementAndGet();
        try {
            Notifier.RateLimit rate = registry.find(delivery.integrationId()).map(registry::rateOf).orElse(UNLIMITED);
            runner.run(delivery, own.bucketFor(rate), () -> {
                own.queued.decrementAndGet();
                pending.decrementAndGet();
                delivery.onDone().run();
            });
        } catch (RuntimeException e) {
            LOG.error("Delivery of {} to {} failed unexpectedly; it will be delivered again after a restart",
                    delivery.event().getEventId(), delivery.integrationId(), e);
        } finally {
            own.inFlight.decrementAndGet();
            own.permits.release();
        }
    }

    private IntegrationLimits limitsOf(String integrationId) {
        return limits.computeIfAbsent(integrationId, id -> {
            IntegrationLimits created = new IntegrationLimits(settings.maxInFlightPerIntegration());
            String name = registry.find(id).map(IntegrationConfig::name).orElse(id);
            Gauge.builder("tocsin.dispatcher.queue.depth", created.queued, AtomicInteger::get).tag("integration", name)
                    .description("Deliveries queued or in progress for the integration").register(meters);
            Gauge.builder("tocsin.dispatcher.in.flight", created.inFlight, AtomicInteger::get).tag("integration", name)
                    .description("Deliveries being attempted for the integration now (including backoff waits)").register(meters);
            return created;
        });
    }

    /**
     * Stops: interrupts every lane (ending backoff waits and HTTP calls); unfinished deliveries are not recorded,
     * so their offsets stay uncommitted and they are delivered again after the restart.
     */
    @PreDestroy
    @Override
    public void close() {
        threads.shutdownNow();
        try {
            if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Some deliveries did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until nothing is pending, up to {@code timeout}; for a graceful stop. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return pending.get() == 0;
    }

    private record LaneKey(String integrationId, String alarmKey) {
    }

    private static final class Lane {
        final Queue<Delivery> queue = new ConcurrentLinkedQueue<>();
        boolean running; // guarded by the lanes map's per-key lock
    }

    /** Per-integration concurrency, rate and gauges. */
    static final class IntegrationLimits {
        final Semaphore permits;
        final AtomicInteger queued = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        private volatile TokenBucket bucket;

        IntegrationLimits(int maxInFlight) {
            this.permits = new Semaphore(maxInFlight);
        }

        /** The bucket for the integration's current rate; a changed rate setting takes effect at once. */
        TokenBucket bucketFor(Notifier.RateLimit rate) {
            TokenBucket current = bucket;
            if (current == null || !current.rate().equals(rate)) {
                synchronized (this) {
                    current = bucket;
                    if (current == null || !current.rate().equals(rate)) {
                        current = new TokenBucket(rate);
                        bucket = current;
                    }
                }
            }
            return current;
        }
    }
}
