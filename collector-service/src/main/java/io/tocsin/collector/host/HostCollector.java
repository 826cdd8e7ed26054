package io.tocsin.collector.host;

import io.tocsin.collector.SampleSender;
import io.tocsin.collector.OnceLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.tocsin.collector.CollectorSettings;
import io.tocsin.collector.ingest.IngestPublisher;
import io.tocsin.schema.HostMetric;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the host it runs on every {@code tocsin.collector.host.interval} and publishes the samples to
 * {@code tocsin.raw.metrics} (issue 7, "Host metrics"; DESIGN.md §1). Runs when
 * {@code tocsin.collector.host.enabled} is true (the standalone's default), from the start of the application
 * context to its close.
 *
 * <p>Timing: the first reading of the delta counters is taken at start, and the first sample goes out
 * {@link #FIRST_SAMPLE} later (or one interval, when the interval is shorter), so a new host shows up within one
 * interval; then every interval. The first sample leaves CPU % out: over its short window, right at the start of
 * the collector's own process (in the standalone: a broker, Streams and four services starting), it would
 * measure that start and open a HostCpuUsage alarm on every start of a laptop run. CPU % is first published for
 * a whole interval. One daemon thread runs the ticks with a fixed delay between them, so a slow tick
 * (a stalled file system) delays the next one instead of piling ticks up. Publishing does not block the tick.
 *
 * <p>Error contract: nothing stops the collector. A value that cannot be read is skipped and logged once
 * ({@link HostSampler}); a publish Kafka does not acknowledge is counted and logged once per outage
 * ({@link SampleSender}); anything else a tick throws is logged once and the next tick runs.
 */
@Context
@Requires(property = "tocsin.collector.host.enabled", value = "true")
public class HostCollector {

    /** Delay of the first sample: long enough for a meaningful CPU %, short enough to show the host at once. */
    static final Duration FIRST_SAMPLE = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(HostCollector.class);

    private final HostSampler sampler;
    private final SampleSender sender;
    private final OnceLog tickFailures = new OnceLog(LOG);
    private final ScheduledExecutorService ticker;
    private boolean firstTick = true; // only the ticker thread reads and writes it

    public HostCollector(HostCollectorSettings settings, CollectorSettings collector, IngestPublisher publisher, MeterRegistry meters) {
        Counter readFailures = Counter.builder("tocsin.collector.read.failures").tag("collector", "host")
                .description("Values a collector could not read (skipped, logged once)").register(meters);
        this.sampler = new HostSampler(collector.hostname(), collector.cluster(), settings, readFailures);
        this.sender = new SampleSender(publisher, meters, "host");
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tocsin-host-collector");
            thread.setDaemon(true);
            return thread;
        });
        Duration interval = settings.interval();
        long first = Math.min(FIRST_SAMPLE.toMillis(), interval.toMillis());
        ticker.execute(sampler::baseline);
        ticker.scheduleWithFixedDelay(this::tick, first, interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Host collector started: {} (cluster '{}') every {}, excluded file-system types {}, mount points included {} excluded {}{}",
                collector.hostname(), collector.cluster(), interval, settings.excludeFsTypes(),
                settings.includeMounts().isEmpty() ? "all" : settings.includeMounts(), settings.excludeMounts(),
                settings.rootPrefix().isEmpty() ? "" : ", host root at " + settings.rootPrefix() + " (mount points named without it)");
    }

    private void tick() {
        try {
            List<HostMetric> samples = sampler.sample(Instant.now());
            if (firstTick) {
                firstTick = false;
                samples = samples.stream().filter(s -> !s.getMetric().equals(HostSampler.CPU)).toList();
            }
            sender.samples(samples);
            tickFailures.succeeded("tick", "Host collector ticks again");
        } catch (RuntimeException | LinkageError e) { // an escaping exception would cancel every later tick
            tickFailures.failed("tick", "Host collector tick failed; the next one runs as planned", e);
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        ticker.shutdownNow();
        if (!ticker.awaitTermination(5, TimeUnit.SECONDS)) {
            LOG.warn("Host collector thread did not stop within 5 s (a file system read hangs); it is a daemon and will not hold the JVM");
        }
    }
}
