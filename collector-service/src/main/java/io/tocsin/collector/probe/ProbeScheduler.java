package io.tocsin.collector.probe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.tocsin.collector.CollectorSettings;
import io.tocsin.collector.OnceLog;
import io.tocsin.collector.SampleSender;
import io.tocsin.collector.ingest.IngestPublisher;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the reachability probes of issue 7 over the targets configured under {@code tocsin.collector.probes}, from
 * the start of the application context to its close (no thread at all without targets).
 *
 * <p>Each target's first cycle runs at start, the next ones its {@code interval} after the previous one ended:
 * a cycle that waits for timeouts delays its own next cycle and never overlaps it. Targets run on a small pool of
 * daemon threads (one per target, at most {@link #MAX_THREADS}), so a slow target does not hold up the others
 * unless there are more targets than threads. Without targets it creates nothing, not even the Kafka publisher.
 *
 * <p>Error contract: a target whose settings are invalid fails the start with a {@link ConfigurationException}
 * naming every wrong key. Once running nothing stops it: see {@link ProbeCycle}.
 */
@Context
public class ProbeScheduler {

    static final int MAX_THREADS = 4;

    private static final Logger LOG = LoggerFactory.getLogger(ProbeScheduler.class);

    private final ScheduledExecutorService executor;

    public ProbeScheduler(List<ProbeTarget> targets, CollectorSettings collector, BeanProvider<IngestPublisher> publisher, MeterRegistry meters) {
        List<String> problems = targets.stream().flatMap(target -> target.problems().stream()).toList();
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Invalid reachability probe settings: " + String.join("; ", problems));
        }
        if (targets.isEmpty()) {
            this.executor = null;
            return;
        }
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newScheduledThreadPool(Math.min(targets.size(), MAX_THREADS), runnable -> {
            Thread thread = new Thread(runnable, "tocsin-probe-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        SampleSender sender = new SampleSender(publisher.get(), meters, "probe");
        for (ProbeTarget target : targets) {
            ProbeCycle cycle = new ProbeCycle(target, collector.cluster(), collector.source(), collector.hostname(), sender, meters,
                    Clock.systemUTC());
            executor.scheduleWithFixedDelay(guarded(target, cycle), 0, target.interval().toMillis(), TimeUnit.MILLISECONDS);
        }
        LOG.info("Reachability probes started: {}", targets.stream().map(ProbeScheduler::describe).collect(Collectors.joining("; ")));
    }

    /** The cycle, with anything unexpected logged once: an exception escaping would cancel the target's later cycles. */
    private static Runnable guarded(ProbeTarget target, ProbeCycle cycle) {
        OnceLog unexpected = new OnceLog(LOG);
        return () -> {
            try {
                cycle.run();
                unexpected.succeeded(target.name(), "Probe cycle of " + target.name() + " runs again");
            } catch (RuntimeException | LinkageError e) {
                unexpected.failed(target.name(), "Probe cycle of " + target.name() + " failed; the next one runs as planned", e);
            }
        };
    }

    private static String describe(ProbeTarget target) {
        StringBuilder text = new StringBuilder(target.name()).append(" (").append(target.host()).append(':');
        if (target.ping()) {
            text.append(" ping");
        }
        if (target.pingPort() > 0) {
            text.append(" tcp/").append(target.pingPort());
        }
        if (target.sshPort() > 0) {
            text.append(" ssh/").append(target.sshPort());
        }
        target.tlsEndpoints().forEach(endpoint -> text.append(" tls ").append(endpoint));
        return text.append(", every ").append(target.interval()).append(')').toString();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        if (executor != null) {
            executor.shutdownNow();
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Probe threads did not stop within 5 s (a check waits for its timeout); they are daemons and will not hold the JVM");
            }
        }
    }
}
