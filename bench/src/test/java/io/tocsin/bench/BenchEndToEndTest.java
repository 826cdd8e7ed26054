package io.tocsin.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.common.security.ApiTokens;
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
 * The bench against the real Tocsin standalone (embedded KRaft broker, all services) in this JVM. Tocsin is
 * started with a webhook integration declared through properties that points at the bench's receiver on a fixed
 * free port; each test runs the bench's {@code main} entry point and reads its JSON summary.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BenchEndToEndTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static Standalone tocsin;
    static int receiverPort;
    static String ingestToken;

    record Run(int exitCode, String out, String err, JsonNode summary) {
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @BeforeAll
    static void startTocsin() throws Exception {
        receiverPort = freePort();
        Map<String, Object> props = new HashMap<>();
        props.put("tocsin.standalone.data-dir", dataDir.toString());
        props.put("tocsin.standalone.kafka-port", freePort());
        props.put("tocsin.standalone.controller-port", freePort());
        props.put("micronaut.server.port", freePort());
        props.put("tocsin.dispatcher.integrations.bench.service", "webhook");
        props.put("tocsin.dispatcher.integrations.bench.url", "http://127.0.0.1:" + receiverPort + "/healthy");
        tocsin = Standalone.start(new String[0], props);
        ingestToken = tocsin.createdTokens().get(ApiTokens.Role.INGEST);
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
        String[] args = Stream.concat(Stream.of("--url", tocsin.url(), "--receiver-port", Integer.toString(receiverPort),
                "--timeout", "60s", "--json"), Stream.of(extra)).toArray(String[]::new);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Bench.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        assertThat(lines).as(text + err.toString(StandardCharsets.UTF_8)).isNotEmpty();
        JsonNode summary = JSON.readTree(lines.getLast());
        return new Run(code, text, err.toString(StandardCharsets.UTF_8), summary);
    }

    @Test
    void threeHundredAlarmsInBatchesOfTenAllArriveExactlyOnce() throws Exception {
        Run run = bench("--ingest-token", ingestToken, "--alarms", "300", "--batch", "10");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(Bench.OK);
        JsonNode ingest = run.summary().at("/result/ingest");
        assertThat(ingest.get("sent").asLong()).isEqualTo(300);
        assertThat(ingest.get("posts").asLong()).isEqualTo(30);
        assertThat(ingest.get("acceptedRaises").asLong()).isEqualTo(300);
        assertThat(ingest.get("errors").isEmpty()).isTrue();
        assertThat(ingest.at("/post/count").asLong()).isEqualTo(30);
        assertThat(ingest.get("acceptedPerSecond").asDouble()).isPositive();

        JsonNode healthy = run.summary().at("/result/paths/0");
        assertThat(run.summary().at("/result/paths").size()).isEqualTo(1);
        assertThat(healthy.get("path").asText()).isEqualTo("healthy");
        assertThat(healthy.get("url").asText()).isEqualTo("http://127.0.0.1:" + receiverPort + "/healthy");
        assertThat(healthy.get("expected").asLong()).isEqualTo(300);
        assertThat(healthy.get("received").asLong()).isEqualTo(300);
        assertThat(healthy.get("lost").asLong()).isZero();
        assertThat(healthy.get("duplicated").asLong()).isZero();
        assertThat(healthy.get("unexpected").asLong()).isZero();
        assertThat(healthy.get("deliveredPerSecond").asDouble()).isPositive();
        JsonNode latency = healthy.get("latency");
        assertThat(latency.get("count").asLong()).isEqualTo(300);
        assertThat(latency.get("p50").asDouble()).isPositive()
                .isLessThanOrEqualTo(latency.get("p99").asDouble())
                .isLessThanOrEqualTo(latency.get("max").asDouble());
        assertThat(latency.get("p99").asDouble()).isLessThanOrEqualTo(latency.get("p999").asDouble());
        assertThat(latency.get("max").asDouble()).as("within the 60 s timeout").isLessThan(60_000);
        assertThat(run.summary().get("ok").asBoolean()).isTrue();

        assertThat(run.out()).contains("tocsin-bench run " + run.summary().at("/result/runId").asText() + " against " + tocsin.url())
                .contains("latency is measured from the start of the POST")
                .contains("-Dtocsin.dispatcher.integrations.bench-healthy.url=http://127.0.0.1:" + receiverPort + "/healthy")
                .contains("expected 300  received 300  lost 0  duplicated 0 (same webhook-id 0)")
                .contains("OK: nothing lost or duplicated, every POST accepted");
        List<String> progress = run.out().lines().filter(l -> l.startsWith("t=")).toList();
        assertThat(progress).isNotEmpty();
        assertThat(progress.getLast()).contains("sent=300 accepted=300 errors=0 | healthy delivered=300/300 dup=0");
    }

    @Test
    void clearsOnAFixedScheduleYieldCreatedAndEndedAfterAWarmup() throws Exception {
        Run run = bench("--ingest-token", ingestToken, "--alarms", "40", "--batch", "4", "--rate", "200", "--clear",
                "--warmup", "8", "--senders", "2");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(Bench.OK);
        assertThat(run.out()).contains("40 alarms after 8 warm-up alarms, batch 4, 2 senders, 200.0 alarms/s, each alarm cleared")
                .contains("latency is measured from the SCHEDULED send time")
                .contains("warmup t=");
        JsonNode ingest = run.summary().at("/result/ingest");
        assertThat(ingest.get("sent").asLong()).as("warm-up alarms are not part of the measurement").isEqualTo(40);
        assertThat(ingest.get("acceptedRaises").asLong()).isEqualTo(40);
        assertThat(ingest.get("acceptedClears").asLong()).isEqualTo(40);
        assertThat(ingest.get("posts").asLong()).isEqualTo(20);
        assertThat(ingest.get("sendingSeconds").asDouble()).as("10 batches, one every 20 ms").isGreaterThanOrEqualTo(0.18);
        JsonNode healthy = run.summary().at("/result/paths/0");
        assertThat(healthy.get("expected").asLong()).isEqualTo(80);
        assertThat(healthy.get("received").asLong()).isEqualTo(80);
        assertThat(healthy.get("lost").asLong()).isZero();
        assertThat(healthy.get("duplicated").asLong()).isZero();
        assertThat(healthy.at("/latency/count").asLong()).isEqualTo(80);
    }

    @Test
    void aRefusedIngestTokenStopsSendingAndFailsTheRun() throws Exception {
        Run run = bench("--ingest-token", "tocsin_ingest_wrong", "--alarms", "1000", "--batch", "10", "--senders", "2");

        assertThat(run.exitCode()).isEqualTo(Bench.FAILED);
        JsonNode ingest = run.summary().at("/result/ingest");
        assertThat(ingest.get("acceptedRaises").asLong()).isZero();
        assertThat(ingest.at("/errors/401").asLong()).isBetween(1L, 2L);
        assertThat(ingest.get("posts").asLong()).as("each sender stops after its refusal").isBetween(1L, 2L);
        assertThat(run.summary().at("/result/paths/0/lost").asLong()).isZero();
        assertThat(run.summary().get("ok").asBoolean()).isFalse();
        assertThat(run.out()).contains("Tocsin refused the ingest token: sending stopped early")
                .contains("errors HTTP 401=")
                .contains("FAILED: see lost, duplicated and ingest errors above")
                .doesNotContain("tocsin_ingest_wrong");
    }
}
