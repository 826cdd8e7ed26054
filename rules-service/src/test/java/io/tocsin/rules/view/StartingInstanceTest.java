package io.tocsin.rules.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.testing.Eventually;
import io.tocsin.testing.KafkaBrokerExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance that is joining its group and restoring its stores (a fresh state directory, the open alarms only in
 * the changelog) must not answer an empty or partial list: every answer until it is ready is a 503 with
 * Retry-After, and then the whole set. Checked with and without an advertised address, which take different
 * paths (Streams metadata, or this instance's own partitions).
 */
@ExtendWith(KafkaBrokerExtension.class)
class StartingInstanceTest {

    static final int ALARMS = 20;

    @TempDir
    Path state;

    @Test
    void whileItJoinsAndRestoresAnInstanceAnswers503OrTheWholeSet() throws Exception {
        String prefix = RulesInstance.newPrefix("starting");
        String applicationId = "starting-" + prefix;
        try (RulesInstance first = RulesInstance.start(RulesInstance.properties(prefix, applicationId, state.resolve("first"), -1));
             RulesInstance.RawProducer raw = new RulesInstance.RawProducer(prefix)) {
            for (int i = 0; i < ALARMS; i++) {
                raw.alarm("cc-" + i % 2, "a" + i, """
                        {"source": "cc-%d", "alarmId": "a%d", "state": "RAISED", "type": "BackupFailed", "title": "Backup %d failed"}
                        """.formatted(i % 2, i, i));
            }
            Eventually.within(Duration.ofSeconds(30), () -> assertThat(first.json("/api/v1/alarms").get("total").asLong()).isEqualTo(ALARMS));
        }

        int port = RulesInstance.freePort();
        for (int restart = 0; restart < 2; restart++) {
            // A random port leaves the instance without an advertised address; a fixed one advertises it.
            int instancePort = restart == 0 ? -1 : port;
            try (RulesInstance next = RulesInstance.start(RulesInstance.properties(prefix, applicationId, state.resolve("next" + restart), instancePort))) {
                Instant deadline = Instant.now().plusSeconds(30);
                int unavailable = 0;
                while (true) {
                    HttpResponse<String> list = next.get("/api/v1/alarms");
                    HttpResponse<String> status = next.get("/api/v1/alarms/status");
                    for (HttpResponse<String> answer : List.of(list, status)) {
                        if (answer.statusCode() != 200) {
                            TwoInstancesTest.assertUnavailable(answer);
                            unavailable++;
                        }
                    }
                    if (list.statusCode() == 200) {
                        JsonNode page = RulesInstance.JSON.readTree(list.body());
                        assertThat(page.get("total").asLong()).as("a 200 carries every open alarm (restart %d)", restart).isEqualTo(ALARMS);
                        assertThat(page.get("items").size()).isEqualTo(ALARMS);
                    }
                    if (status.statusCode() == 200) {
                        assertThat(RulesInstance.JSON.readTree(status.body()).get("overall").get("total").asLong()).isEqualTo(ALARMS);
                    }
                    if (list.statusCode() == 200 && status.statusCode() == 200) {
                        System.out.println("[starting-instance] restart " + restart + ": " + unavailable + " answers were 503 before the whole set");
                        break;
                    }
                    assertThat(Instant.now()).as("ready within 30 s").isBefore(deadline);
                    Thread.sleep(20);
                }
                assertThat(next.json("/api/v1/alarms/cc-1:a7").get("title").asText()).isEqualTo("Backup 7 failed");
            }
        }
    }
}
