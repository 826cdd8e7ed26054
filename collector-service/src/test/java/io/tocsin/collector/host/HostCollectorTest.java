package io.tocsin.collector.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.tocsin.schema.HostMetric;
import io.tocsin.schema.wire.Codecs;
import io.tocsin.testing.Eventually;
import io.tocsin.testing.KafkaBroker;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The host collector in the collector service, on a real broker: what reaches tocsin.raw.metrics, and when. */
@ExtendWith(KafkaBrokerExtension.class)
class HostCollectorTest {

    static final List<String> METRICS = List.of("host.cpu.usage", "host.ram.usage", "host.disk.usage", "host.swap.usage",
            "host.swap.pages", "host.load.1", "host.load.5", "host.load.15");

    static Map<String, Object> settings(String bootstrap, String prefix) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("tocsin.kafka.bootstrap-servers", bootstrap);
        settings.put("tocsin.kafka.topic-prefix", prefix);
        settings.put("tocsin.kafka.partitions", 1);
        settings.put("tocsin.collector.host.enabled", true);
        settings.put("tocsin.collector.cluster", "lab");
        return settings;
    }

    static List<ConsumerRecord<byte[], byte[]>> samples(String prefix) {
        return TopicReader.readAll(KafkaBrokerExtension.broker().bootstrapServers(), prefix + "raw.metrics", Duration.ofSeconds(5));
    }

    @Test
    void theFirstSampleOfEveryMetricArrivesWithinTheDefaultIntervalForThisMachine() throws Exception {
        String prefix = "host" + System.nanoTime() + ".";
        String machine = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        Instant start = Instant.now();
        try (ApplicationContext context = ApplicationContext.run(settings(KafkaBrokerExtension.broker().bootstrapServers(), prefix))) {
            Duration interval = context.getBean(HostCollectorSettings.class).interval();
            assertThat(interval).as("the default").isEqualTo(Duration.ofSeconds(10));
            AtomicReference<List<ConsumerRecord<byte[], byte[]>>> found = new AtomicReference<>();
            // Every metric but CPU % comes in the first sample (within one interval); CPU % first covers a whole
            // interval, so it arrives with the second.
            Eventually.within(interval.multipliedBy(2), () -> {
                List<ConsumerRecord<byte[], byte[]>> records = samples(prefix);
                assertThat(records).extracting(r -> Codecs.HOST_METRIC.decode(r.value()).getMetric()).containsAll(METRICS);
                found.set(records);
            });
            List<ConsumerRecord<byte[], byte[]>> records = found.get();
            Instant firstSent = records.stream().map(r -> Instant.ofEpochMilli(r.timestamp())).min(Instant::compareTo).orElseThrow();
            assertThat(firstSent).as("the first sample is written within one interval of the start").isBefore(start.plus(interval));
            Instant firstCpu = records.stream().filter(r -> Codecs.HOST_METRIC.decode(r.value()).getMetric().equals("host.cpu.usage"))
                    .map(r -> Instant.ofEpochMilli(r.timestamp())).min(Instant::compareTo).orElseThrow();
            assertThat(Duration.between(firstSent, firstCpu)).as("CPU % is first published for a whole interval")
                    .isGreaterThanOrEqualTo(interval.minusMillis(200));

            for (ConsumerRecord<byte[], byte[]> record : records) {
                HostMetric sample = Codecs.HOST_METRIC.decode(record.value());
                assertThat(new String(record.key(), StandardCharsets.UTF_8)).as("keyed by host").isEqualTo(machine);
                assertThat(sample.getHost()).as("this machine's hostname").isEqualTo(machine);
                assertThat(sample.getCluster()).isEqualTo("lab");
                assertThat(sample.getTimestamp()).isBetween(start, Instant.now());
                switch (sample.getMetric()) {
                    case "host.cpu.usage", "host.ram.usage", "host.swap.usage", "host.disk.usage" ->
                            assertThat(sample.getValue()).as(sample.getMetric()).isBetween(0.0, 100.0);
                    default -> assertThat(sample.getValue()).as(sample.getMetric()).isGreaterThanOrEqualTo(0.0);
                }
                assertThat(sample.getInstance()).as(sample.getMetric())
                        .matches(sample.getMetric().equals("host.disk.usage") ? "/.*" : "");
            }
            assertThat(records).map(r -> Codecs.HOST_METRIC.decode(r.value()))
                    .filteredOn(s -> s.getMetric().equals("host.ram.usage")).first()
                    .satisfies(ram -> assertThat(ram.getValue()).as("some memory is in use").isGreaterThan(0.0));
            assertThat(context.getBean(MeterRegistry.class).get("tocsin.collector.samples.published").tag("collector", "host")
                    .counter().count()).isGreaterThanOrEqualTo(METRICS.size());
        }
    }

    @Test
    void mountPatternsAndASecondSampleAfterOneInterval() {
        String prefix = "hostmounts" + System.nanoTime() + ".";
        Map<String, Object> settings = settings(KafkaBrokerExtension.broker().bootstrapServers(), prefix);
        settings.put("tocsin.collector.host.interval", "1s");
        settings.put("tocsin.collector.host.include-mounts", List.of("/", "/nothing-mounted-here/**"));
        try (ApplicationContext context = ApplicationContext.run(settings)) {
            Eventually.within(Duration.ofSeconds(10), () -> assertThat(samples(prefix))
                    .map(r -> Codecs.HOST_METRIC.decode(r.value())).filteredOn(s -> s.getMetric().equals("host.cpu.usage"))
                    .as("a sample every interval").hasSizeGreaterThanOrEqualTo(2));
            assertThat(samples(prefix)).map(r -> Codecs.HOST_METRIC.decode(r.value()))
                    .filteredOn(s -> s.getMetric().equals("host.disk.usage")).extracting(HostMetric::getInstance)
                    .containsOnly("/");
        }
    }

    @Test
    void whenKafkaIsGoneTheCollectorCountsTheLostSamplesAndGoesOn() throws Exception {
        KafkaBroker broker = KafkaBrokerExtension.startPrivateBroker();
        Map<String, Object> settings = settings(broker.bootstrapServers(), "hostdown.");
        settings.put("tocsin.collector.host.interval", "300ms");
        settings.put("tocsin.collector.ingest.ack-timeout", "500ms");
        try (ApplicationContext context = ApplicationContext.run(settings)) {
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            Eventually.within(Duration.ofSeconds(10), () -> assertThat(meters.get("tocsin.collector.samples.published")
                    .tag("collector", "host").counter().count()).isPositive());
            broker.close();
            Eventually.within(Duration.ofSeconds(20), () -> assertThat(meters.get("tocsin.collector.samples.failed")
                    .tag("collector", "host").counter().count()).isPositive());
            double failed = meters.get("tocsin.collector.samples.failed").tag("collector", "host").counter().count();
            Eventually.within(Duration.ofSeconds(20), () -> assertThat(meters.get("tocsin.collector.samples.failed")
                    .tag("collector", "host").counter().count()).as("later ticks still run").isGreaterThan(failed));
        } finally {
            broker.close();
        }
    }
}
