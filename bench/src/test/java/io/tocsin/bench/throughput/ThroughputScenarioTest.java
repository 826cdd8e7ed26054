package io.tocsin.bench.throughput;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.tocsin.bench.Bench;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.TopicReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --scenario throughput} against the real collector on a real broker: every record of every phase is
 * acknowledged and in Kafka (the collector's raw alarms topic and the producer baseline's scratch topic), and the
 * report carries the medians and ratios.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ThroughputScenarioTest {

    @TempDir
    Path stateDir;

    @Test
    void everyPhaseIsAcknowledgedAndInKafka() throws Exception {
        String bootstrap = KafkaBrokerExtension.broker().bootstrapServers();
        String prefix = "throughput" + System.nanoTime() + ".";
        // The bench's test class path holds the whole standalone, so the other services start too: give the rules
        // service a state directory and application id of this test's own.
        try (EmbeddedServer collector = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "tocsin.rules.state-dir", stateDir.toString(),
                "tocsin.rules.application-id", "throughput-" + System.nanoTime(),
                "tocsin.kafka.bootstrap-servers", bootstrap,
                "tocsin.kafka.topic-prefix", prefix,
                "tocsin.kafka.partitions", 1,
                "tocsin.security.ingest-token", "ingest-secret",
                "tocsin.security.admin-token", "admin-secret"), "collector")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = Bench.run(new String[] {"--scenario", "throughput", "--url", collector.getURL().toString(),
                    "--ingest-token", "ingest-secret", "--bootstrap", bootstrap, "--records", "200", "--clients", "3",
                    "--batch", "20", "--repetitions", "1", "--warmup", "0", "--json"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

            String report = out.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(report + err).isZero();
            assertThat(report).contains("http single", "http batched", "producer 1-by-1", "producer stream",
                    "ratios: http single / producer 1-by-1 = ", "OK: every call was acknowledged");
            assertThat(TopicReader.readAll(bootstrap, prefix + "raw.alarms", Duration.ofSeconds(10))).hasSize(400);
            assertThat(TopicReader.readAll(bootstrap, ProducerLoad.TOPIC, Duration.ofSeconds(10))).hasSizeGreaterThanOrEqualTo(400);
        }
    }

    @Test
    void theTokenAndTheBrokerAreRequired() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Bench.run(new String[] {"--scenario", "throughput", "--bootstrap", "localhost:9092"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(Bench.BAD_ARGUMENTS);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("tocsin-bench: --ingest-token: is required");
        err.reset();
        exit = Bench.run(new String[] {"--scenario", "throughput", "--ingest-token", "t", "--bootstrap", "nohost"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(Bench.BAD_ARGUMENTS);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("tocsin-bench: --bootstrap: expected host:port");
    }
}
