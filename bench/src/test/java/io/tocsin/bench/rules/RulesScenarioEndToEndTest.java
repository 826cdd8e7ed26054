package io.tocsin.bench.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.bench.Bench;
import io.tocsin.standalone.Standalone;
import io.tocsin.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --scenario rules} against the real Tocsin standalone in this JVM (embedded KRaft broker, the rules
 * service's exactly-once topology): metric samples crossing the default thresholds and raw alarms written to
 * Tocsin's raw topics come back as CREATED and ENDED on {@code tocsin.alarm-events}, every one of them accounted
 * for, beside the copy baseline.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RulesScenarioEndToEndTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static Standalone tocsin;
    static String bootstrap;

    record Run(int exitCode, String out, String err, JsonNode summary) {
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @BeforeAll
    static void startTocsin() throws Exception {
        int kafkaPort = freePort();
        bootstrap = "localhost:" + kafkaPort;
        Map<String, Object> props = new HashMap<>();
        props.put("tocsin.standalone.data-dir", dataDir.toString());
        props.put("tocsin.standalone.kafka-port", kafkaPort);
        props.put("tocsin.standalone.controller-port", freePort());
        props.put("micronaut.server.port", freePort());
        tocsin = Standalone.start(new String[0], props);
        HttpClient http = HttpClient.newHttpClient();
        Eventually.within(Duration.ofSeconds(30), () -> {
            try {
                String health = http.send(HttpRequest.newBuilder(URI.create(tocsin.url() + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(JSON.readTree(health).get("status").asText()).isEqualTo("UP");
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }

    @AfterAll
    static void stopTocsin() {
        if (tocsin != null) {
            tocsin.close();
        }
    }

    static Run bench(String... extra) throws Exception {
        String[] args = Stream.concat(Stream.of("--scenario", "rules", "--bootstrap", bootstrap, "--json"), Stream.of(extra))
                .toArray(String[]::new);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Bench.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        assertThat(lines).as(text + err.toString(StandardCharsets.UTF_8)).isNotEmpty();
        return new Run(code, text, err.toString(StandardCharsets.UTF_8), JSON.readTree(lines.getLast()));
    }

    @Test
    void crossingsAndRawAlarmsThroughTheRulesServiceAreAllAccountedForBesideTheCopy() throws Exception {
        Run run = bench("--samples", "2000", "--hosts", "10", "--crossing-percent", "10", "--raw-alarms", "100", "--repetitions", "2",
                "--warmup", "200", "--timeout", "60s", "--linger", "200ms");
        // 40 rounds of 50 samples; each of a host's CPU, RAM, disk (/) and swap crosses once every 10 rounds.
        Workload shape = new Workload("any", 10, 40, 100, 10);
        long metricEvents = shape.metricEvents();
        assertThat(metricEvents).isBetween(2L * 40 * 3, 2L * 40 * 4);
        long owed = metricEvents + 200;

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(Bench.OK);
        JsonNode result = run.summary().get("result");
        assertThat(run.summary().get("ok").asBoolean()).isTrue();
        assertThat(result.get("problems").isEmpty()).isTrue();
        JsonNode repetitions = result.get("repetitions");
        assertThat(repetitions.size()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            JsonNode rep = repetitions.get(i);
            assertThat(rep.get("number").asInt()).isEqualTo(i + 1);
            assertThat(rep.get("first").asText()).isEqualTo(i == 0 ? "copy" : "rules");
            for (String side : List.of("copy", "rules")) {
                JsonNode phase = rep.get(side);
                assertThat(phase.get("side").asText()).isEqualTo(side);
                assertThat(phase.get("records").asLong()).as("2000 samples, 100 raises + 100 clears").isEqualTo(2200);
                assertThat(phase.get("samples").asLong()).isEqualTo(2000);
                assertThat(phase.get("samplesPerSecond").asDouble())
                        .isCloseTo(phase.get("recordsPerSecond").asDouble() * 2000 / 2200, org.assertj.core.data.Offset.offset(1e-6));
                assertThat(phase.get("completed").asBoolean()).isTrue();
                assertThat(phase.get("completedSeconds").asDouble()).isPositive()
                        .isGreaterThanOrEqualTo(phase.get("sendSeconds").asDouble());
                assertThat(phase.get("recordsPerSecond").asDouble()).isPositive()
                        .isLessThanOrEqualTo(phase.get("sentPerSecond").asDouble());
            }
            JsonNode events = rep.get("events");
            assertThat(events.get("owed").asLong()).isEqualTo(owed);
            assertThat(events.get("metric").asLong()).isEqualTo(metricEvents);
            assertThat(events.get("appeared").asLong()).isEqualTo(owed);
            assertThat(events.get("lost").asLong()).isZero();
            assertThat(events.get("duplicated").asLong()).isZero();
            assertThat(events.get("unexpected").asLong()).isZero();
            JsonNode latency = events.get("latency");
            assertThat(latency.get("count").asLong()).isEqualTo(owed);
            assertThat(latency.get("p50").asDouble()).isPositive().isLessThanOrEqualTo(latency.get("p99").asDouble());
            assertThat(latency.get("max").asDouble()).as("within the timeout").isLessThan(60_000);
            assertThat(rep.get("ratio").asDouble()).isCloseTo(rep.at("/rules/recordsPerSecond").asDouble()
                    / rep.at("/copy/recordsPerSecond").asDouble(), org.assertj.core.data.Offset.offset(1e-9));
        }
        JsonNode medians = result.get("medians");
        assertThat(medians.get("of").asInt()).isEqualTo(2);
        assertThat(medians.get("ratio").asDouble()).isEqualTo(RulesBenchResult.median(repetitions.get(0).get("ratio").asDouble(),
                repetitions.get(1).get("ratio").asDouble()));

        String runId = result.get("runId").asText();
        assertThat(run.out()).contains("tocsin-bench rules run " + runId + " against " + bootstrap + ": rules group tocsin-rules")
                .contains("consumer group tocsin-rules: 1 member(s)")
                .contains("each phase: 2000 samples (40 rounds x 10 hosts x 5 series) + 100 raw alarms raised and cleared = 2200 records")
                .contains("owed by each rules phase: " + metricEvents + " metric events (" + metricEvents / 2 + " crossings x CREATED + ENDED;"
                        + " a series crosses once every 10 rounds) + 200 raw alarm events = " + owed + " alarm events")
                .contains("copy baseline: tocsin-bench-" + runId + ".raw.metrics")
                .contains("warm-up copy ", "warm-up rules ", "rep 1 copy ", "rep 2 rules ")
                .contains("rep  first  copy rec/s  rules rec/s  rules/copy")
                .contains("target: classification throughput at least 50.0 % of the copy's:")
                .contains("rules    median " + Math.round(medians.get("rulesPerSecond").asDouble()) + " records/s, of which "
                        + Math.round(medians.get("rulesSamplesPerSecond").asDouble()) + " samples/s")
                .contains("OK: every phase completed");
    }

    @Test
    void aGroupThatIsNotTheRulesServiceTimesOutNamingItsPartitions() throws Exception {
        Run run = bench("--samples", "0", "--raw-alarms", "5", "--repetitions", "1", "--rules-group", "not-the-rules", "--timeout", "2s",
                "--linger", "0");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(Bench.FAILED);
        JsonNode rep = run.summary().at("/result/repetitions/0");
        assertThat(rep.at("/copy/completed").asBoolean()).isTrue();
        assertThat(rep.at("/rules/completed").asBoolean()).isFalse();
        assertThat(rep.get("ratio").asDouble()).isZero();
        assertThat(rep.at("/events/appeared").asLong()).as("the real rules service still processed them").isEqualTo(10);
        assertThat(run.summary().at("/result/problems/0").asText())
                .startsWith("rep 1 rules: group not-the-rules did not commit the end of its input within --timeout 2 s: tocsin.raw.alarms-")
                .contains("nothing committed/");
        assertThat(run.out()).contains("WARNING:").contains("not-the-rules")
                .contains("; input NOT committed within --timeout")
                .contains("FAILED:");
    }
}
