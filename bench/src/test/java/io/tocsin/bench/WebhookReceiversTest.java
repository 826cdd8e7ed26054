package io.tocsin.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The receivers over real HTTP on loopback, as Tocsin's webhook channel calls them. */
class WebhookReceiversTest {

    static final String RUN = "abc123";

    final HttpClient http = HttpClient.newHttpClient();
    WebhookReceivers receivers;

    @AfterEach
    void stop() {
        if (receivers != null) {
            receivers.close();
        }
    }

    int post(String path, String webhookId, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(receivers.url(path)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (webhookId != null) {
            request.header("webhook-id", webhookId);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static String body(Object id, String status) {
        String json = id instanceof String s ? "\"" + s + "\"" : String.valueOf(id);
        return "{\"id\": " + json + ", \"status\": \"" + status + "\", \"component\": \"Node\", \"hostname\": \"db1\","
                + " \"title\": \"t\", \"message\": \"m\", \"recommendation\": \"r\", \"severity\": \"CRITICAL\"}";
    }

    static String webhookId(int alarm) {
        return "bench-" + RUN + ":" + alarm + "/1700000000000/0";
    }

    @Test
    void countsDistinctDeliveriesDuplicatesAndLatencyPerStatus() throws Exception {
        receivers = new WebhookReceivers(0, RUN, Duration.ZERO, false, 503);
        Phase phase = new Phase("measure", 100, 3, receivers.paths());
        AlarmLedger ledger = phase.ledger();
        long sent = AlarmLedger.now();
        for (int alarm = 100; alarm < 103; alarm++) {
            ledger.raiseSent(alarm, sent);
            ledger.raiseAccepted(alarm);
        }
        ledger.clearSent(100, sent);
        ledger.clearAccepted(100);
        phase.ingest().post(false, 3, sent, sent, "202");
        phase.ingest().post(true, 1, sent, sent, "202");
        receivers.record(phase);
        Thread.sleep(20);

        assertThat(post("healthy", webhookId(100), body(100, "CREATED"))).isEqualTo(200);
        assertThat(post("healthy", webhookId(101), body("101", "CREATED"))).as("a string id of digits").isEqualTo(200);
        assertThat(post("healthy", webhookId(100), body(100, "ENDED"))).isEqualTo(200);
        assertThat(post("healthy", webhookId(100), body(100, "CREATED"))).as("Tocsin re-sending the same event").isEqualTo(200);
        assertThat(post("healthy", "bench-" + RUN + ":101/1700000000001/0", body(101, "CREATED"))).isEqualTo(200);

        DeliveryStats healthy = phase.path("healthy");
        assertThat(healthy.distinct()).isEqualTo(3);
        assertThat(healthy.duplicates()).isEqualTo(2);
        assertThat(healthy.duplicatesSameWebhookId()).isEqualTo(1);
        assertThat(healthy.lost()).as("alarm 102 was accepted and never delivered").isEqualTo(1);
        assertThat(healthy.unexpected()).isZero();
        assertThat(healthy.latencyMicros().getTotalCount()).isEqualTo(3);
        assertThat(healthy.latencyMicros().getMinValue()).as("sent at least 20 ms before").isGreaterThanOrEqualTo(20_000);
        assertThat(healthy.latencyMicros().getMaxValue()).isLessThan(10_000_000);
        assertThat(receivers.foreign()).isZero();
        assertThat(phase.allDelivered()).as("accepted 3 raises + 1 clear = 4 owed, 3 received").isFalse();
    }

    @Test
    void ignoresWhatIsNotThisPhasesDeliveryButAnswers200() throws Exception {
        receivers = new WebhookReceivers(0, RUN, Duration.ZERO, false, 503);
        Phase phase = new Phase("measure", 0, 10, receivers.paths());
        assertThat(post("healthy", webhookId(1), body(1, "CREATED"))).as("before any phase").isEqualTo(200);
        receivers.record(phase);
        assertThat(post("healthy", "bench-other1:1/1/0", body(1, "CREATED"))).as("another run's alarm").isEqualTo(200);
        assertThat(post("healthy", webhookId(10), body(10, "CREATED"))).as("outside the phase").isEqualTo(200);
        assertThat(post("healthy", webhookId(2), body(2, "UPDATED"))).isEqualTo(200);
        assertThat(post("healthy", webhookId(2), body("db-2", "CREATED"))).isEqualTo(200);
        assertThat(post("healthy", webhookId(2), "not json")).isEqualTo(200);
        assertThat(post("healthy", null, body(3, "CREATED"))).as("no webhook-id: matched on the id alone").isEqualTo(200);

        assertThat(receivers.foreign()).isEqualTo(6);
        assertThat(phase.path("healthy").distinct()).isEqualTo(1);
        assertThat(phase.path("healthy").unexpected()).as("alarm 3 was never accepted by Tocsin").isEqualTo(1);
        assertThat(phase.path("healthy").lost()).isZero();
    }

    @Test
    void theFailingPathRefusesForItsPeriodThenDelivers() throws Exception {
        receivers = new WebhookReceivers(0, RUN, Duration.ZERO, true, 429);
        assertThat(receivers.paths()).containsExactly("healthy", "failing");
        Phase phase = new Phase("measure", 0, 2, receivers.paths());
        long sent = AlarmLedger.now();
        phase.ledger().raiseSent(0, sent);
        phase.ledger().raiseAccepted(0);
        phase.ingest().post(false, 1, sent, sent, "202");
        receivers.record(phase);
        receivers.failFor(Duration.ofMillis(400));

        assertThat(post("failing", webhookId(0), body(0, "CREATED"))).isEqualTo(429);
        assertThat(post("failing", webhookId(0), body(0, "CREATED"))).isEqualTo(429);
        assertThat(phase.allDelivered()).isFalse();
        assertThat(post("healthy", webhookId(0), body(0, "CREATED"))).as("the healthy path is not affected").isEqualTo(200);
        assertThat(phase.allDelivered()).as("the failing path has not got it yet").isFalse();
        Thread.sleep(450);
        assertThat(post("failing", webhookId(0), body(0, "CREATED"))).isEqualTo(200);

        DeliveryStats failing = phase.path("failing");
        assertThat(failing.refusedCount()).isEqualTo(2);
        assertThat(failing.distinct()).isEqualTo(1);
        assertThat(failing.duplicates()).as("refused attempts are not receipts").isZero();
        assertThat(failing.latencyMicros().getMinValue()).isGreaterThanOrEqualTo(400_000);
        assertThat(phase.path("healthy").latencyMicros().getMaxValue()).isLessThan(400_000);
        assertThat(phase.allDelivered()).isTrue();
    }

    @Test
    void answersAfterTheReceiverDelay() throws Exception {
        receivers = new WebhookReceivers(0, RUN, Duration.ofMillis(300), false, 503);
        receivers.record(new Phase("measure", 0, 1, receivers.paths()));
        long start = System.nanoTime();
        assertThat(post("healthy", webhookId(0), body(0, "CREATED"))).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aTakenPortIsNamed() throws Exception {
        receivers = new WebhookReceivers(0, RUN, Duration.ZERO, false, 503);
        int taken = URI.create(receivers.url("healthy")).getPort();
        try (WebhookReceivers second = new WebhookReceivers(taken, RUN, Duration.ZERO, false, 503)) {
            throw new AssertionError("bound a taken port: " + second.paths());
        } catch (java.io.IOException e) {
            assertThat(e).hasMessageStartingWith("cannot listen on 127.0.0.1:" + taken);
        }
    }

    @Test
    void onlyPostsAreDeliveries() throws Exception {
        receivers = new WebhookReceivers(0, RUN, Duration.ZERO, false, 503);
        Phase phase = new Phase("measure", 0, 1, List.of("healthy"));
        receivers.record(phase);
        HttpRequest get = HttpRequest.newBuilder(URI.create(receivers.url("healthy"))).GET().build();
        assertThat(http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        assertThat(receivers.foreign()).isEqualTo(1);
        assertThat(phase.path("healthy").distinct()).isZero();
    }
}
