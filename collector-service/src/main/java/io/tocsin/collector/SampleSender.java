package io.tocsin.collector;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tocsin.collector.ingest.IngestPublisher;
import io.tocsin.schema.HostMetric;
import io.tocsin.schema.RawAlarm;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * How a collector hands what it observed to Kafka through {@link IngestPublisher}: it never waits for Kafka and
 * never stops because Kafka is away. A failed publish is counted and logged once per outage (the first failure
 * warns, the first success after it says Kafka is back); the samples of a failed call are dropped, the next
 * interval brings fresh ones.
 *
 * <p>Meters, tagged {@code collector=<name>}: {@code tocsin.collector.samples.published} (samples Kafka
 * acknowledged), {@code tocsin.collector.samples.failed} (samples it did not), and for collectors that raise
 * alarms {@code tocsin.collector.alarms.published} / {@code tocsin.collector.alarms.failed}.
 */
public final class SampleSender {

    private final IngestPublisher publisher;
    private final String collector;
    private final OnceLog outage;
    private final Counter published;
    private final Counter failed;
    private final Counter alarmsPublished;
    private final Counter alarmsFailed;

    public SampleSender(IngestPublisher publisher, MeterRegistry meters, String collector) {
        this.publisher = publisher;
        this.collector = collector;
        this.outage = new OnceLog(LoggerFactory.getLogger(SampleSender.class));
        this.published = Counter.builder("tocsin.collector.samples.published").tag("collector", collector)
                .description("Collector samples Kafka acknowledged").register(meters);
        this.failed = Counter.builder("tocsin.collector.samples.failed").tag("collector", collector)
                .description("Collector samples Kafka did not acknowledge in time (dropped; the next interval sends fresh ones)").register(meters);
        this.alarmsPublished = Counter.builder("tocsin.collector.alarms.published").tag("collector", collector)
                .description("Alarms a collector raised or cleared that Kafka acknowledged").register(meters);
        this.alarmsFailed = Counter.builder("tocsin.collector.alarms.failed").tag("collector", collector)
                .description("Alarms a collector raised or cleared that Kafka did not acknowledge in time").register(meters);
    }

    /** Publishes samples; the future yields whether Kafka acknowledged them all, and never fails. */
    public CompletableFuture<Boolean> samples(List<HostMetric> samples) {
        if (samples.isEmpty()) {
            return CompletableFuture.completedFuture(true);
        }
        return outcome(() -> publisher.metrics(samples), samples.size(), published, failed);
    }

    /** Publishes raw alarms; the future yields whether Kafka acknowledged them all, and never fails. */
    public CompletableFuture<Boolean> alarms(List<RawAlarm> alarms) {
        if (alarms.isEmpty()) {
            return CompletableFuture.completedFuture(true);
        }
        return outcome(() -> publisher.alarms(alarms), alarms.size(), alarmsPublished, alarmsFailed);
    }

    private CompletableFuture<Boolean> outcome(Supplier<CompletableFuture<?>> send, int count, Counter ok, Counter notOk) {
        CompletableFuture<?> started;
        try {
            started = send.get();
        } catch (RuntimeException e) { // the publisher reports failures in its future; this is a safety net for the thread
            started = CompletableFuture.failedFuture(e);
        }
        return started.handle((ignored, error) -> {
            if (error == null) {
                ok.increment(count);
                outage.succeeded("publish", "The " + collector + " collector publishes to Kafka again");
                return true;
            }
            notOk.increment(count);
            outage.failed("publish", "The " + collector + " collector cannot publish to Kafka; its records are dropped until Kafka is back",
                    error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
            return false;
        });
    }
}
