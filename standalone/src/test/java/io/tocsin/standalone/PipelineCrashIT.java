package io.tocsin.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.schema.wire.Codecs;
import io.tocsin.testing.Eventually;
import io.tocsin.testing.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployed shape, crashed: a Kafka broker process and each service as its own {@code java -jar} process.
 * A monitor streams alarms (raised, then cleared) through the collector's HTTP ingest; the rules service turns them
 * into CREATED and ENDED events; the dispatcher delivers them to a webhook receiver that answers after 20 ms. Mid
 * stream the dispatcher is killed with SIGKILL and restarted, then the rules service likewise. Every alarm the
 * collector acknowledged must reach the receiver as a CREATED and an ENDED, in that order; a notification may
 * arrive twice only if it was in flight at the dispatcher's kill (received, its outcome not yet in
 * {@code tocsin.deliveries}), and then with the same idempotency key ({@code webhook-id}). The rules service's
 * exactly-once transactions mean its kill repeats nothing. The test prints its counts as a report.
 */
class PipelineCrashIT {

    static final String PREFIX = "crash.";
    static final String INGEST_TOKEN = "crash-ingest-token";
    static final String ADMIN_TOKEN = "crash-admin-token";
    /** In flight at a kill: attempts under way (max-in-flight-per-integration) plus outcomes not yet acknowledged. */
    static final int MAX_IN_FLIGHT = 32;

    @TempDir
    Path workDir;

    final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable process : running.reversed()) {
            process.close();
        }
    }

    @Test
    void sigkillOfDispatcherThenRulesLosesNothingAndRepeatsOnlyWhatWasInFlight() throws Exception {
        KafkaBrokerProcess kafka = track(KafkaBrokerProcess.start(Path.of("target", "tocsin-standalone.jar"), workDir));
        String bootstrap = kafka.bootstrapServers();
        WebhookReceiver receiver = track(new WebhookReceiver(Duration.ofMillis(20)));
        ServiceProcess collector = start("collector-service", bootstrap, receiver);
        ServiceProcess rules = start("rules-service", bootstrap, receiver);
        ServiceProcess dispatcher = start("dispatcher-service", bootstrap, receiver);
        ServiceProcess cloud = start("cloud-service", bootstrap, receiver);
        for (ServiceProcess service : List.of(collector, rules, dispatcher, cloud)) {
            service.awaitHealthy(Duration.ofSeconds(120));
        }

        Report report = new Report();
        Set<String> completed;
        try (AlarmStream stream = new AlarmStream("http://localhost:" + collector.port(), INGEST_TOKEN, "crash")) {
            awaitMoreNotifications(receiver, 150);
            dispatcher.kill();
            report.dispatcherKilledAt = Instant.now();
            report.receivedBeforeDispatcherKill = receiver.received().size();
            // What the killed dispatcher had recorded as delivered: none of it may be sent again.
            report.recordedAtKill = TopicReader.readAll(bootstrap, PREFIX + "deliveries", Duration.ofSeconds(10)).stream()
                    .map(r -> Codecs.DELIVERY_RECORD.decode(r.value()).getEventId()).collect(Collectors.toSet());
            report.inFlightAtKill = receiver.received().stream().map(WebhookReceiver.Received::webhookId)
                    .filter(id -> !report.recordedAtKill.contains(id)).collect(Collectors.toSet());
            dispatcher = start("dispatcher-service", bootstrap, receiver);
            dispatcher.awaitHealthy(Duration.ofSeconds(120));
            report.dispatcherDown = Duration.between(report.dispatcherKilledAt, Instant.now());

            awaitMoreNotifications(receiver, 150);
            rules.kill();
            Instant rulesKilledAt = Instant.now();
            report.receivedBeforeRulesKill = receiver.received().size();
            rules = start("rules-service", bootstrap, receiver);
            rules.awaitHealthy(Duration.ofSeconds(120));
            report.rulesDown = Duration.between(rulesKilledAt, Instant.now());
            awaitMoreNotifications(receiver, 150);
            stream.close();
            completed = stream.completedAlarmKeys();
            report.alarms = completed.size();
            report.ingestRefusals = stream.refusals();
            assertThat(stream.raisedCount()).as("every raised alarm was also cleared").isEqualTo(completed.size());
        }
        Instant drainStart = Instant.now();
        Eventually.within(Duration.ofSeconds(180), () -> assertThat(notifications(receiver)).hasSize(2 * completed.size()));
        report.drain = Duration.between(drainStart, Instant.now());
        Thread.sleep(2000); // anything still to come (a late repeat) arrives and is judged below

        assertEveryAlarmDeliveredInOrder(receiver.received(), completed);
        report.assertRepeatsWereInFlight(receiver.received());
        System.out.println(report);
        for (ServiceProcess service : List.of(collector, rules, dispatcher, cloud)) {
            service.stop();
        }
    }

    /** Every acknowledged alarm has exactly one CREATED and one ENDED (by alarm key), the CREATED first. */
    static void assertEveryAlarmDeliveredInOrder(List<WebhookReceiver.Received> received, Set<String> completed) {
        Map<String, List<WebhookReceiver.Received>> byAlarm = received.stream()
                .collect(Collectors.groupingBy(r -> r.body().get("alarmKey").asText(), TreeMap::new, Collectors.toList()));
        assertThat(byAlarm.keySet()).as("notified alarms are exactly the acknowledged ones").isEqualTo(new java.util.TreeSet<>(completed));
        byAlarm.forEach((alarmKey, requests) -> {
            List<String> statuses = requests.stream().map(r -> r.body().get("status").asText()).distinct().toList();
            assertThat(statuses).as("%s: CREATED then ENDED", alarmKey).containsExactly("CREATED", "ENDED");
            requests.stream().collect(Collectors.groupingBy(r -> r.body().get("status").asText())).forEach((status, copies) ->
                    assertThat(copies.stream().map(WebhookReceiver.Received::webhookId).distinct())
                            .as("%s %s: one event, one idempotency key, however often it arrived", alarmKey, status).hasSize(1));
        });
    }

    /** Distinct notifications received, by (alarm key, status). */
    static Set<String> notifications(WebhookReceiver receiver) {
        return receiver.received().stream().map(r -> r.body().get("alarmKey").asText() + "/" + r.body().get("status").asText())
                .collect(Collectors.toSet());
    }

    static void awaitMoreNotifications(WebhookReceiver receiver, int more) {
        int target = notifications(receiver).size() + more;
        Eventually.within(Duration.ofSeconds(120), () -> assertThat(notifications(receiver).size()).isGreaterThanOrEqualTo(target));
    }

    ServiceProcess start(String module, String bootstrap, WebhookReceiver receiver) throws Exception {
        Path jar = Path.of("..", module, "target", "tocsin-" + module + ".jar").toAbsolutePath().normalize();
        assertThat(jar).as("the service jar is built").exists();
        int port = StandaloneJarIT.freePort();
        List<String> args = new ArrayList<>(List.of("-Xmx384m", "-Dmicronaut.server.port=" + port,
                "-Dtocsin.kafka.bootstrap-servers=" + bootstrap, "-Dtocsin.kafka.topic-prefix=" + PREFIX,
                "-Dtocsin.security.ingest-token=" + INGEST_TOKEN, "-Dtocsin.security.admin-token=" + ADMIN_TOKEN));
        switch (module) {
            case "rules-service" -> args.add("-Dtocsin.rules.state-dir=" + workDir.resolve("rules-state"));
            case "dispatcher-service" -> args.addAll(List.of("-Dtocsin.dispatcher.initial-backoff=50ms",
                    "-Dtocsin.dispatcher.engine.max-in-flight-per-integration=" + MAX_IN_FLIGHT,
                    "-Dtocsin.dispatcher.integrations.hook.service=webhook",
                    "-Dtocsin.dispatcher.integrations.hook.format=extended",
                    "-Dtocsin.dispatcher.integrations.hook.url=" + receiver.url()));
            default -> { }
        }
        args.addAll(List.of("-jar", jar.toString()));
        Files.createDirectories(workDir);
        return track(ServiceProcess.start(module, port, workDir, args));
    }

    <T extends AutoCloseable> T track(T process) {
        running.add(process);
        return process;
    }

    /** The counts the test reports, and the judgement of every repeated notification. */
    static final class Report {
        int alarms;
        int ingestRefusals;
        int receivedBeforeDispatcherKill;
        int receivedBeforeRulesKill;
        Instant dispatcherKilledAt;
        Set<String> recordedAtKill = Set.of();
        Set<String> inFlightAtKill = Set.of();
        Duration dispatcherDown;
        Duration rulesDown;
        Duration drain;
        int requests;
        List<String> repeated = List.of();

        /** A repeated idempotency key was in flight at the dispatcher's kill: first copy before it, second after. */
        void assertRepeatsWereInFlight(List<WebhookReceiver.Received> received) {
            requests = received.size();
            Map<String, List<WebhookReceiver.Received>> byKey = received.stream()
                    .collect(Collectors.groupingBy(WebhookReceiver.Received::webhookId));
            repeated = byKey.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).sorted().toList();
            assertThat(new HashSet<>(repeated)).as("a delivery recorded before the kill is never sent again")
                    .doesNotContainAnyElementsOf(recordedAtKill);
            assertThat(inFlightAtKill).as("what repeats was in flight at the dispatcher's kill").containsAll(repeated);
            assertThat(inFlightAtKill.size()).as("in flight: attempts under way plus outcomes not yet in Kafka")
                    .isLessThanOrEqualTo(MAX_IN_FLIGHT + 64);
            for (String key : repeated) {
                List<WebhookReceiver.Received> copies = byKey.get(key);
                assertThat(copies).as("%s arrived twice at most", key).hasSize(2);
                assertThat(copies.get(0).at()).as("first copy of %s before the kill", key).isBefore(dispatcherKilledAt);
                assertThat(copies.get(1).at()).as("second copy of %s after the restart", key).isAfter(dispatcherKilledAt);
            }
        }

        @Override
        public String toString() {
            return String.format("[pipeline-crash] alarms raised and cleared through ingest: %d (%d notifications expected; "
                            + "ingest refusals retried: %d)%n"
                            + "[pipeline-crash] dispatcher SIGKILLed after %d requests; outcomes recorded at the kill: %d; "
                            + "received but not recorded (in flight): %d; down until healthy again: %d ms%n"
                            + "[pipeline-crash] rules SIGKILLed after %d requests; down until healthy again: %d ms%n"
                            + "[pipeline-crash] requests received: %d; repeated notifications: %d (all in flight at the "
                            + "dispatcher's kill, same webhook-id); drained %d ms after the stream ended",
                    alarms, 2 * alarms, ingestRefusals, receivedBeforeDispatcherKill, recordedAtKill.size(), inFlightAtKill.size(),
                    dispatcherDown.toMillis(), receivedBeforeRulesKill, rulesDown.toMillis(), requests, repeated.size(), drain.toMillis());
        }
    }
}
