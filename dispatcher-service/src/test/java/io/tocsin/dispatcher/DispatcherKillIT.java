package io.tocsin.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.dispatcher.testing.RecordingReceiver;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.wire.Codecs;
import io.tocsin.testing.Eventually;
import io.tocsin.testing.KafkaBrokerExtension;
import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of the dispatcher process mid-stream, on a real broker: nothing is lost, order per alarm holds, and after
 * the restart only deliveries that were in flight at the kill are repeated, with the same idempotency key. The test
 * counts them.
 */
@ExtendWith(KafkaBrokerExtension.class)
class DispatcherKillIT {

    static final int ALARMS = 1000;

    final String bootstrap = KafkaBrokerExtension.broker().bootstrapServers();
    final String prefix = "kill" + System.nanoTime() + ".";

    @TempDir
    Path logs;

    /** Every dispatcher process this test started, stopped after it whatever the outcome. */
    final List<Process> started = new ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process process : started) {
            process.destroyForcibly();
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void sigkillMidStreamLosesNothingAndRepeatsOnlyWhatWasInFlight() throws Exception {
        try (RecordingReceiver receiver = new RecordingReceiver().delay(Duration.ofMillis(20))) {
            produceEvents();
            Process first = start(receiver, "first");
            Eventually.within(Duration.ofSeconds(60), () -> assertThat(receiver.accepted().size()).isGreaterThan(400));
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no final commit
            first.waitFor();
            Instant killedAt = Instant.now();
            int answeredBeforeKill = receiver.requests().size();
            // What the killed dispatcher had recorded as delivered: those must never be sent again.
            java.util.Set<String> recorded = io.tocsin.testing.TopicReader.readAll(bootstrap, prefix + "deliveries", Duration.ofSeconds(10))
                    .stream().map(r -> Codecs.DELIVERY_RECORD.decode(r.value()).getEventId()).collect(Collectors.toSet());
            java.util.Set<String> receivedBeforeKill = receiver.accepted().stream().map(r -> r.headers().get("webhook-id"))
                    .collect(Collectors.toSet());
            java.util.Set<String> inFlight = new java.util.HashSet<>(receivedBeforeKill);
            inFlight.removeAll(recorded);

            Process second = start(receiver, "second");
            try {
                Eventually.within(Duration.ofSeconds(90), () -> assertThat(distinctAccepted(receiver)).isEqualTo(2 * ALARMS));
                Thread.sleep(1000);
            } finally {
                second.destroy();
                second.waitFor();
            }

            List<RecordingReceiver.Request> accepted = receiver.accepted();
            Map<String, List<RecordingReceiver.Request>> byId = accepted.stream()
                    .collect(Collectors.groupingBy(r -> r.headers().get("webhook-id")));
            List<String> repeated = byId.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();
            System.out.printf("[kill-test] answered before the kill: %d; recorded as delivered: %d; acknowledged but not yet "
                    + "recorded (in flight): %d; delivered: %d events; repeated after the restart: %d%n",
                    answeredBeforeKill, recorded.size(), inFlight.size(), byId.size(), repeated.size());
            assertThat(byId).as("nothing lost").hasSize(2 * ALARMS);
            assertThat(repeated).as("a delivery recorded before the kill is never sent again").doesNotContainAnyElementsOf(recorded);
            assertThat(inFlight).as("what repeats was in flight at the kill").containsAll(repeated);
            assertThat(inFlight.size()).as("in flight: attempts under way (max 32) plus outcomes not yet in Kafka")
                    .isLessThanOrEqualTo(32 + 64);
            for (String id : repeated) {
                assertThat(byId.get(id)).as("a repeat of %s was in flight at the kill", id).hasSize(2)
                        .first().satisfies(request -> assertThat(request.at()).isBefore(killedAt));
            }
            for (int i = 0; i < ALARMS; i++) {
                String alarmId = Integer.toString(i);
                List<String> statuses = accepted.stream().filter(r -> r.body().startsWith("{\"id\":" + alarmId + ","))
                        .map(r -> r.body().contains("\"status\":\"CREATED\"") ? "CREATED" : "ENDED").distinct().toList();
                assertThat(statuses).as("alarm %s in order", alarmId).containsExactly("CREATED", "ENDED");
            }
        }
    }

    static long distinctAccepted(RecordingReceiver receiver) {
        return receiver.accepted().stream().map(r -> r.headers().get("webhook-id")).distinct().count();
    }

    void produceEvents() {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            for (int i = 0; i < ALARMS; i++) {
                for (AlarmEventStatus status : List.of(AlarmEventStatus.CREATED, AlarmEventStatus.ENDED)) {
                    AlarmEvent event = TestEvents.event(Integer.toString(i), status);
                    producer.send(new ProducerRecord<>(prefix + "alarm-events", event.getAlarmKey().getBytes(StandardCharsets.UTF_8),
                            Codecs.ALARM_EVENT.encode(event)));
                }
            }
        }
    }

    Process start(RecordingReceiver receiver, String name) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java,
                "-Dtocsin.kafka.bootstrap-servers=" + bootstrap,
                "-Dtocsin.kafka.topic-prefix=" + prefix,
                "-Dtocsin.kafka.partitions=3",
                "-Dmicronaut.server.port=" + freePort(),
                "-Dtocsin.security.admin-token=kill-test-admin",
                "-Dtocsin.dispatcher.initial-backoff=50ms",
                "-Dtocsin.dispatcher.engine.max-in-flight-per-integration=32",
                "-Dtocsin.dispatcher.integrations.hook.service=webhook",
                "-Dtocsin.dispatcher.integrations.hook.url=" + receiver.url("/hook"),
                "-jar", System.getProperty("tocsin.dispatcher.jar", "target/tocsin-dispatcher-service.jar")));
        File log = logs.resolve(name + ".log").toFile();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        started.add(process);
        assertThat(Files.exists(Path.of(command.getLast()))).as("the dispatcher jar is built").isTrue();
        return process;
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
