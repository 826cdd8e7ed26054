package io.tocsin.cloud.watcher;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tocsin.cloud.api.CloudServiceHarness;
import io.tocsin.cloud.api.CredentialBodies;
import io.tocsin.cloud.instances.InstanceActions;
import io.tocsin.cloud.provider.gcp.GcpFixture;
import io.tocsin.schema.AlarmKeys;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.Severity;
import io.tocsin.schema.topics.TopicCatalogue;
import io.tocsin.testing.CapturedLogs;
import io.tocsin.testing.Eventually;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.TopicReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The watcher end to end: a cloud service polling, every 200 ms, {@link GcpFixture} playing Compute Engine (the
 * recorded aggregated instance list, with a scenario stopping two instances and starting them again), a credential stored
 * through the API, and the raw alarms read back from a real broker. Proves: an instance stopped behind Tocsin's back
 * raises {@code CloudInstanceStopped} (Host, Critical) for exactly that instance and clears it when it runs again; an
 * instance stopped with a recorded Tocsin action raises nothing; 503s from the provider do not stop the loop (counted,
 * logged once); no secret reaches an answer, a log line or a raw alarm.
 */
@ExtendWith(KafkaBrokerExtension.class)
class InstanceWatcherTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String AGGREGATED = "/compute/v1/projects/project_name/aggregated/instances";
    static final String SCENARIO = "instances";
    static final String NAME = "watched-gcp";

    GcpFixture google;
    CapturedLogs logs;
    CloudServiceHarness cloud;

    @BeforeEach
    void start() {
        logs = new CapturedLogs();
        google = new GcpFixture();
        String running = GcpFixture.recorded("compute-instances.aggregatedList.json");
        String stopped = GcpFixture.without(GcpFixture.withStatus(running, "TERMINATED", "node-name", "libcloud-demo-np-node"),
                "libcloud-demo-persist-node");
        google.wireMock.stubFor(get(urlPathEqualTo(AGGREGATED)).inScenario(SCENARIO).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(running)));
        google.wireMock.stubFor(get(urlPathEqualTo(AGGREGATED)).inScenario(SCENARIO).whenScenarioStateIs("stopped")
                .willReturn(okJson(stopped)));
        google.wireMock.stubFor(get(urlPathEqualTo(AGGREGATED)).inScenario(SCENARIO).whenScenarioStateIs("failing")
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"code\":503,\"message\":\"The service is currently unavailable.\",\"status\":\"UNAVAILABLE\"}}")));
        google.wireMock.stubFor(get(urlPathEqualTo(AGGREGATED)).inScenario(SCENARIO).whenScenarioStateIs("running again")
                .willReturn(okJson(running)));
        cloud = new CloudServiceHarness()
                .with("tocsin.cloud.gcp.compute-endpoint", google.baseUrl())
                .with("tocsin.cloud.gcp.token-endpoint", google.tokenEndpoint())
                .with("tocsin.cloud.gcp.max-attempts", 1) // one request per poll, also on a 503
                .with("tocsin.cloud.watcher.interval", "200ms")
                .with("tocsin.cloud.watcher.credentials", List.of(NAME))
                .with("tocsin.cloud.watcher.locations.other-credential", List.of("europe-west1", "us-central1-a"))
                .start();
    }

    @AfterEach
    void stop() {
        try {
            if (cloud != null) {
                cloud.close();
            }
        } finally {
            google.close();
            logs.close();
        }
    }

    @Test
    void raisesAndClearsForAnInstanceStoppedAndStartedBehindTocsinsBack() throws Exception {
        ObjectNode key = CredentialBodies.gcpKeyFile();
        key.put("project_id", "project_name"); // the recorded answers' project
        HttpResponse<String> created = cloud.call("POST", "/api/v1/cloud/credentials", CredentialBodies.body("gcp", NAME, null, key));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String credentialId = JSON.readTree(created.body()).get("id").asText();

        awaitPolls(2); // the first poll only records states; the second sees them unchanged
        // Tocsin stopped this one: the instances API records an action so before asking the provider.
        cloud.bean(InstanceActions.class).record(credentialId, "libcloud-demo-np-node", InstanceActions.Action.STOP);
        google.wireMock.setScenarioState(SCENARIO, "stopped");
        awaitPolls(2);
        String alarmId = AlarmKeys.stableId("CloudInstanceStopped", credentialId, "us-central1-a/node-name");
        String goneId = AlarmKeys.stableId("CloudInstanceStopped", credentialId, "us-central2-a/libcloud-demo-persist-node");
        Eventually.within(Duration.ofSeconds(10), () -> assertThat(alarms()).extracting(RawAlarm::getAlarmId).contains(alarmId, goneId));

        google.wireMock.setScenarioState(SCENARIO, "failing");
        awaitPolls(3);
        google.wireMock.setScenarioState(SCENARIO, "running again");
        Eventually.within(Duration.ofSeconds(10), () -> assertThat(alarms()).filteredOn(alarm -> alarm.getState() == RawAlarmState.CLEARED)
                .hasSize(2));
        awaitPolls(2);

        List<RawAlarm> all = alarms();
        List<RawAlarm> gone = all.stream().filter(alarm -> alarm.getAlarmId().equals(goneId)).toList();
        assertThat(gone).as("an instance no longer listed counts as stopped; listed running again, it clears")
                .extracting(RawAlarm::getState).containsExactly(RawAlarmState.RAISED, RawAlarmState.CLEARED);
        assertThat(gone.getFirst().getTitle()).contains("libcloud-demo-persist-node", "us-central2-a", "is gone");
        List<RawAlarm> alarms = all.stream().filter(alarm -> !alarm.getAlarmId().equals(goneId)).toList();
        assertThat(alarms).as("one raise and one clear of node-name; none of np-node, which Tocsin stopped")
                .extracting(RawAlarm::getState).containsExactly(RawAlarmState.RAISED, RawAlarmState.CLEARED);
        assertThat(alarms).extracting(RawAlarm::getAlarmId).containsOnly(alarmId);
        RawAlarm raised = alarms.getFirst();
        assertThat(raised.getSource()).isEqualTo("tocsin-cloud");
        assertThat(raised.getType()).isEqualTo("CloudInstanceStopped");
        assertThat(raised.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(raised.getComponent()).isEqualTo("Host");
        assertThat(raised.getHostname()).isEqualTo("node-name");
        assertThat(raised.getTitle()).contains("node-name", "gcp", NAME, "us-central1-a", "TERMINATED");
        assertThat(raised.getLabels()).containsEntry("provider", "gcp").containsEntry("credential", NAME)
                .containsEntry("credential_id", credentialId).containsEntry("instance", "node-name")
                .containsEntry("location", "us-central1-a").containsEntry("provider_state", "TERMINATED");
        assertThat(alarms.getLast().getLabels()).containsEntry("provider_state", "RUNNING");
        assertThat(records()).extracting(record -> new String(record.key(), StandardCharsets.UTF_8))
                .containsOnly("tocsin-cloud:" + alarmId, "tocsin-cloud:" + goneId);

        MeterRegistry meters = cloud.bean(MeterRegistry.class);
        assertThat(count(meters, "tocsin.cloud.watcher.polls", "outcome", "failed")).as("the 503s").isGreaterThanOrEqualTo(2);
        assertThat(count(meters, "tocsin.cloud.watcher.polls", "outcome", "ok")).isGreaterThanOrEqualTo(6);
        assertThat(count(meters, "tocsin.cloud.watcher.alarms", "state", "raised")).isEqualTo(2);
        assertThat(count(meters, "tocsin.cloud.watcher.alarms", "state", "cleared")).isEqualTo(2);
        assertThat(logs.lines().stream().filter(line -> line.contains("credential " + NAME + " (gcp) at its default location works again")))
                .as("and its end once").hasSize(1);
        assertThat(logs.lines().stream().filter(line -> line.contains("listing the instances of credential " + NAME)
                && line.contains("503")))
                .as("a failure streak is logged once").hasSize(1);

        String payloads = String.join("\n", records().stream().map(r -> new String(r.value(), StandardCharsets.ISO_8859_1)).toList());
        List<String> secrets = new ArrayList<>(CredentialBodies.secrets());
        secrets.add(google.token);
        for (String secret : secrets) {
            assertThat(payloads).as("raw alarms").doesNotContain(secret);
            assertThat(logs.text()).as("logs").doesNotContain(secret);
            assertThat(String.join("\n", cloud.answers)).as("answers").doesNotContain(secret);
        }
    }

    @Test
    void locationsAreBoundPerCredential() {
        WatcherSettings settings = cloud.bean(WatcherSettings.class);
        assertThat(settings.credentials()).containsExactly(NAME);
        assertThat(settings.interval()).isEqualTo(Duration.ofMillis(200));
        assertThat(settings.locationsOf("other-credential", "some-id", "other-credential")).containsExactly("europe-west1", "us-central1-a");
        assertThat(settings.locationsOf(NAME, "its-id", NAME)).as("default region or everywhere").containsExactly((String) null);
    }

    /** Waits until Compute Engine has been asked {@code more} more times, so that whole polls saw the current state. */
    private void awaitPolls(int more) {
        int before = google.wireMock.findAll(getRequestedFor(urlPathEqualTo(AGGREGATED))).size();
        Eventually.within(Duration.ofSeconds(15), () -> assertThat(google.wireMock.findAll(getRequestedFor(urlPathEqualTo(AGGREGATED))))
                .hasSizeGreaterThanOrEqualTo(before + more));
    }

    private List<ConsumerRecord<byte[], byte[]>> records() {
        return TopicReader.readAll(cloud.bootstrap, cloud.prefix + "raw.alarms", Duration.ofSeconds(10));
    }

    private List<RawAlarm> alarms() {
        var topic = new TopicCatalogue(cloud.prefix).rawAlarms();
        return records().stream().map(r -> topic.valueSerde().deserializer().deserialize(topic.name(), r.value())).toList();
    }

    private static double count(MeterRegistry meters, String name, String tag, String value) {
        Counter counter = meters.find(name).tag(tag, value).counter();
        return counter == null ? 0 : meters.find(name).tag(tag, value).counters().stream().mapToDouble(Counter::count).sum();
    }
}
