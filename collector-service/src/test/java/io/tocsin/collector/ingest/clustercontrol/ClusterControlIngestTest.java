package io.tocsin.collector.ingest.clustercontrol;

import io.tocsin.collector.ingest.RunningCollector;
import static io.tocsin.collector.ingest.RunningCollector.resource;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.collector.ingest.RunningCollector.KeyedAlarm;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.Severity;
import io.tocsin.testing.KafkaBrokerExtension;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /api/v1/ingest/clustercontrol} on a real broker with the recorded payloads of the seeds:
 * {@code clustercontrol/plugin-new.json} is seed 001's example message (its braces and the {@code "alarm": {}}
 * wrapper, lost in the seed's web copy, restored around the listed fields, values untouched);
 * {@code webhook-created.json} and {@code webhook-ended.json} are seed 000's two webhook events byte for byte.
 * Each test uses controller names of its own, so they do not see each other's records.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ClusterControlIngestTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PATH = "/api/v1/ingest/clustercontrol";
    static final String SEED_000_MESSAGE = "PostgreSQL server on 192.168.20.62:5432 disconnected: Connect failure: Watchdog: "
            + "Failed connection to [email\u00a0protected]:5432. timeout expired\n";
    static RunningCollector collector;

    @BeforeAll
    static void start() {
        collector = RunningCollector.start("cc");
    }

    @AfterAll
    static void stop() {
        collector.close();
    }

    @Test
    void seed001PluginMessageBecomesTheDocumentedRawAlarmAndRemoveClearsIt() throws Exception {
        HttpResponse<String> raised = collector.post(PATH + "?controller=cc-plugin", resource("clustercontrol/plugin-new.json"));
        assertThat(raised.statusCode()).as(raised.body()).isEqualTo(202);
        assertThat(JSON.readTree(raised.body()).get("alarmKeys").get(0).asText()).isEqualTo("cc-plugin:1-10736685724696984427");
        HttpResponse<String> removed = collector.post(PATH + "?controller=cc-plugin", resource("clustercontrol/plugin-remove.json"));
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(202);

        RawAlarm expected = RawAlarm.newBuilder()
                .setSource("cc-plugin")
                .setAlarmId("1-10736685724696984427")
                .setState(RawAlarmState.RAISED)
                .setType("MySqlDisconnected")
                .setSeverity(Severity.CRITICAL)
                .setComponent("Node")
                .setCluster("1")
                .setHostname("")
                .setTitle("MySQL server disconnected")
                .setMessage("Server reports: MySQL server disconnected.")
                .setRecommendation("Check error log of failed mysql server.")
                .setTimestamp(null)
                .setLabels(Map.of("cc.cid", "1", "cc.hostid", "4", "cc.nodeid", "1", "cc.name", "MySQL server disconnected"))
                .build();
        RawAlarm cleared = RawAlarm.newBuilder(expected).setState(RawAlarmState.CLEARED).build();
        assertThat(collector.rawAlarmsOf("cc-plugin")).containsExactly(
                new KeyedAlarm("cc-plugin:1-10736685724696984427", expected),
                new KeyedAlarm("cc-plugin:1-10736685724696984427", cleared));
    }

    @Test
    void seed000WebhookEventsAndAChangeBecomeTheDocumentedRawAlarmsWithOneKey() throws Exception {
        String query = PATH + "?controller=cc-webhook&cid=3&cluster=prod-postgres";
        assertThat(collector.post(query, resource("clustercontrol/webhook-created.json")).statusCode()).isEqualTo(202);
        String changed = resource("clustercontrol/webhook-created.json").replace("\"CREATED\"", "\"CHANGED\"")
                .replace("\"severity\": \"CRITICAL\"", "\"severity\": \"WARNING\"");
        assertThat(collector.post(query, changed).statusCode()).isEqualTo(202);
        assertThat(collector.post(query, resource("clustercontrol/webhook-ended.json")).statusCode()).isEqualTo(202);

        RawAlarm expected = RawAlarm.newBuilder()
                .setSource("cc-webhook")
                .setAlarmId("3-470")
                .setState(RawAlarmState.RAISED)
                .setType("ServerDisconnected")
                .setSeverity(Severity.CRITICAL)
                .setComponent("Node")
                .setCluster("prod-postgres")
                .setHostname("192.168.20.62")
                .setTitle("Server disconnected")
                .setMessage(SEED_000_MESSAGE)
                .setRecommendation("Check node status on UI and error log of failed server.")
                .setTimestamp(null)
                .setLabels(Map.of("cc.cid", "3"))
                .build();
        assertThat(collector.rawAlarmsOf("cc-webhook")).containsExactly(
                new KeyedAlarm("cc-webhook:3-470", expected),
                new KeyedAlarm("cc-webhook:3-470", RawAlarm.newBuilder(expected).setSeverity(Severity.WARNING).build()),
                new KeyedAlarm("cc-webhook:3-470", RawAlarm.newBuilder(expected).setState(RawAlarmState.CLEARED).build()));
    }

    @Test
    void theSameAlarmHasOneKeyThroughPluginAndWebhookAndClustersDoNotCollide() throws Exception {
        String plugin = """
                {"type": "alarm", "action": "new", "cmon_hostname": "cc-both.example.com",
                 "alarm": {"id": 470, "cid": 1, "severity": "ALARM_WARNING", "type": "MySqlReplicationLag",
                           "name": "Replication lag", "hostname": "10.0.0.5"}}""";
        HttpResponse<String> viaPlugin = collector.post(PATH, plugin);
        HttpResponse<String> viaWebhook = collector.post(PATH + "?controller=cc-both.example.com&cid=1",
                resource("clustercontrol/webhook-ended.json"));
        HttpResponse<String> otherCluster = collector.post(PATH + "?controller=cc-both.example.com&cid=2",
                resource("clustercontrol/webhook-created.json"));
        assertThat(List.of(viaPlugin.statusCode(), viaWebhook.statusCode(), otherCluster.statusCode()))
                .as(viaPlugin.body()).containsOnly(202);

        List<KeyedAlarm> records = collector.rawAlarmsOf("cc-both.example.com");
        assertThat(records).extracting(KeyedAlarm::key).containsExactly(
                "cc-both.example.com:1-470", "cc-both.example.com:1-470", "cc-both.example.com:2-470");
        assertThat(records).extracting(r -> r.alarm().getState())
                .containsExactly(RawAlarmState.RAISED, RawAlarmState.CLEARED, RawAlarmState.RAISED);
        assertThat(records.get(0).alarm().getLabels()).containsEntry("cc.cmon_hostname", "cc-both.example.com");
        assertThat(records.get(0).alarm().getSeverity()).isEqualTo(Severity.WARNING);
    }

    @Test
    void cmonHostnameIsSanitisedIntoTheSourceAndNewerFieldNamesAreRead() throws Exception {
        // The CmonAlarm names of newer controllers (s9s-tools libs9s/s9salarm.cpp): numeric codes beside names.
        String body = """
                [{"type": "alarm", "action": "update", "cmon_hostname": "[fe80::1]:9500",
                  "alarm": {"alarm_id": 3, "cluster_id": 7, "component": 0, "component_name": "CmonDatabase",
                            "severity": 2, "severity_name": "ALARM_CRITICAL", "type": 10006, "type_name": "HostUnreachable",
                            "title": "Host is not responding", "hostname": "192.168.0.79", "host_id": 1, "counter": 5}},
                 {"type": "alarm", "action": "new", "cmon_hostname": "[fe80::1]:9500",
                  "alarm": {"id": "0012", "cid": "7", "severity": "alarm_warning", "type": "BackupFailed", "name": "Backup failed"}}]""";
        HttpResponse<String> response = collector.post(PATH, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);

        List<KeyedAlarm> records = collector.rawAlarmsOf("fe80-1-9500");
        assertThat(records).extracting(KeyedAlarm::key).containsExactly("fe80-1-9500:7-3", "fe80-1-9500:7-12");
        RawAlarm first = records.get(0).alarm();
        assertThat(first.getType()).isEqualTo("HostUnreachable");
        assertThat(first.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(first.getComponent()).isEqualTo("CMON Database");
        assertThat(first.getTitle()).isEqualTo("Host is not responding");
        assertThat(first.getLabels()).containsEntry("cc.hostid", "1").containsEntry("cc.cmon_hostname", "[fe80::1]:9500")
                .doesNotContainKeys("cc.counter", "cc.count");
        RawAlarm second = records.get(1).alarm();
        assertThat(second.getSeverity()).isEqualTo(Severity.WARNING);
        assertThat(second.getComponent()).as("derived from the type").isEqualTo("Backup");
        assertThat(second.getTitle()).isEqualTo("Backup failed");
    }

    @Test
    void badPayloadsAreProblemsNamingEachFieldAndNothingIsWritten() throws Exception {
        String badPlugin = """
                {"type": "alarm", "action": "new", "cmon_hostname": "cc-bad",
                 "alarm": {"id": 1, "cid": 1, "severity": "ALARM_SEVERE", "type": "MySqlDisconnected", "name": "x"}}""";
        assertThat(fields(collector.post(PATH, badPlugin))).containsExactly("alarm.severity");

        String noIdNoAction = """
                {"type": "event", "action": "explode", "cmon_hostname": "cc-bad", "alarm": {"id": -4, "cid": 1.5}}""";
        assertThat(fields(collector.post(PATH, noIdNoAction))).containsExactlyInAnyOrder("type", "action", "alarm.id", "alarm.cid");

        assertThat(fields(collector.post(PATH, resource("clustercontrol/plugin-new.json"))))
                .as("seed 001's empty cmon_hostname names no controller").containsExactly("cmon_hostname");
        assertThat(fields(collector.post(PATH, "{\"type\": \"alarm\", \"action\": \"new\", \"cmon_hostname\": \"cc-bad\"}")))
                .containsExactly("alarm");

        assertThat(fields(collector.post(PATH, resource("clustercontrol/webhook-created.json"))))
                .containsExactly("controller", "cid");
        assertThat(fields(collector.post(PATH + "?controller=bad%20name&cid=x1", resource("clustercontrol/webhook-created.json"))))
                .containsExactlyInAnyOrder("controller", "cid");

        String batch = "[" + resource("clustercontrol/webhook-created.json") + ", {\"id\": 471, \"status\": \"GONE\"},"
                + " {\"id\": 472, \"status\": \"CREATED\", \"title\": \"t\"}, 5]";
        assertThat(fields(collector.post(PATH + "?controller=cc-bad&cid=1", batch)))
                .containsExactlyInAnyOrder("[1].status", "[2].severity", "[3]");
        assertThat(fields(collector.post(PATH + "?controller=cc-bad", "[]"))).containsExactly("body");
        assertThat(fields(collector.post(PATH + "?controller=cc-bad", "{\"id\": 1, \"status\": "))).containsExactly("body");

        assertThat(collector.rawAlarmsOf("cc-bad")).isEmpty();
        assertThat(collector.get("/prometheus").body())
                .containsPattern("tocsin_collector_ingest_rejected_total\\{format=\"clustercontrol\"[^}]*} [1-9]");
    }

    @Test
    void theIngestTokenIsRequired() {
        String body = resource("clustercontrol/webhook-created.json");
        assertThat(collector.post(PATH + "?controller=cc-token&cid=1", null, body).statusCode()).isEqualTo(401);
        assertThat(collector.post(PATH + "?controller=cc-token&cid=1", "wrong", body).statusCode()).isEqualTo(401);
        assertThat(collector.rawAlarmsOf("cc-token")).isEmpty();
    }

    static List<String> fields(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        return problem.get("errors").findValuesAsText("field");
    }
}
