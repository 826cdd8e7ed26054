package io.tocsin.collector.ingest.alertmanager;

import static io.tocsin.collector.ingest.RunningCollector.resource;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tocsin.collector.ingest.RunningCollector;
import io.tocsin.collector.ingest.RunningCollector.KeyedAlarm;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.Severity;
import io.tocsin.testing.KafkaBrokerExtension;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /api/v1/ingest/alertmanager} on a real broker with recorded notifications in the shape of the
 * Alertmanager documentation's webhook payload, version 4 ({@code alertmanager/firing.json}, {@code resolved.json}).
 */
@ExtendWith(KafkaBrokerExtension.class)
class AlertmanagerIngestTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PATH = "/api/v1/ingest/alertmanager";
    static RunningCollector collector;

    @BeforeAll
    static void start() {
        collector = RunningCollector.start("am");
    }

    @AfterAll
    static void stop() {
        collector.close();
    }

    @Test
    void eachAlertOfTheRecordedNotificationBecomesTheDocumentedRawAlarm() throws Exception {
        HttpResponse<String> response = collector.post(PATH, resource("alertmanager/firing.json"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).get("alarmKeys").toString()).isEqualTo(
                "[\"alertmanager.example.com:6c1b3ed8d0fd1a7e\",\"alertmanager.example.com:b3f1c0a9e2d4f6a8\","
                        + "\"alertmanager.example.com:0f6a2b9c4d8e1f37\"]");

        RawAlarm mysql = RawAlarm.newBuilder()
                .setSource("alertmanager.example.com")
                .setAlarmId("6c1b3ed8d0fd1a7e")
                .setState(RawAlarmState.RAISED)
                .setType("MySQLDown")
                .setSeverity(Severity.CRITICAL)
                .setComponent("Host")
                .setCluster("prod-galera")
                .setHostname("db1.example.com")
                .setTitle("MySQL on db1.example.com is down")
                .setMessage("mysql_up has been 0 for 1 minute.")
                .setRecommendation("https://runbooks.example.com/mysql-down")
                .setTimestamp(Instant.parse("2026-11-20T10:00:00.123Z"))
                .setLabels(Map.of("alertname", "MySQLDown", "cluster", "prod-galera", "instance", "db1.example.com:9104",
                        "job", "mysqld", "severity", "critical", "team", "dba",
                        "alertmanager.generatorURL", "http://prometheus.example.com:9090/graph?g0.expr=mysql_up+%3D%3D+0&g0.tab=1"))
                .build();
        RawAlarm disk = RawAlarm.newBuilder()
                .setSource("alertmanager.example.com")
                .setAlarmId("b3f1c0a9e2d4f6a8")
                .setState(RawAlarmState.RAISED)
                .setType("NodeFilesystemAlmostFull")
                .setSeverity(Severity.WARNING)
                .setComponent("Host")
                .setCluster("prod-galera")
                .setHostname("2001:db8::7")
                .setTitle("NodeFilesystemAlmostFull")
                .setMessage("Filesystem /var has 4 % space left.")
                .setRecommendation("Free space on /var or grow the volume.")
                .setTimestamp(Instant.parse("2026-11-20T10:00:00Z"))
                .setLabels(Map.of("alertname", "NodeFilesystemAlmostFull", "cluster", "prod-galera", "instance", "[2001:db8::7]:9100",
                        "mountpoint", "/var", "severity", "warning", "team", "dba",
                        "alertmanager.generatorURL", "http://prometheus.example.com:9090/graph?g0.expr=node_filesystem_avail_bytes&g0.tab=1"))
                .build();
        List<KeyedAlarm> records = collector.rawAlarmsOf("alertmanager.example.com");
        assertThat(records).hasSize(3);
        assertThat(records.get(0)).isEqualTo(new KeyedAlarm("alertmanager.example.com:6c1b3ed8d0fd1a7e", mysql));
        assertThat(records.get(1)).isEqualTo(new KeyedAlarm("alertmanager.example.com:b3f1c0a9e2d4f6a8", disk));
        RawAlarm probe = records.get(2).alarm();
        assertThat(probe.getSeverity()).as("severity page").isEqualTo(Severity.CRITICAL);
        assertThat(probe.getComponent()).as("label component").isEqualTo("Network");
        assertThat(probe.getHostname()).as("the host of a probed URL").isEqualTo("shop.example.com");
        assertThat(probe.getTitle()).as("alertname without a summary").isEqualTo("ProbeFailure");
        assertThat(probe.getMessage()).isEmpty();

        // Resolved: CLEARED under the firing alert's key, at endsAt.
        HttpResponse<String> resolved = collector.post(PATH, resource("alertmanager/resolved.json"));
        assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(202);
        List<KeyedAlarm> after = collector.rawAlarmsOf("alertmanager.example.com");
        assertThat(after).hasSize(4);
        assertThat(after.get(3)).isEqualTo(new KeyedAlarm("alertmanager.example.com:6c1b3ed8d0fd1a7e",
                RawAlarm.newBuilder(mysql).setState(RawAlarmState.CLEARED).setTimestamp(Instant.parse("2026-11-20T10:05:00Z")).build()));
        assertThat(collector.get("/prometheus").body())
                .containsPattern("tocsin_collector_ingest_alarms_total\\{format=\"alertmanager\",state=\"cleared\"[^}]*} [1-9]");
    }

    @Test
    void theSourceParameterNamesTheAlertmanager() throws Exception {
        HttpResponse<String> response = collector.post(PATH + "?source=am-eu1", resource("alertmanager/resolved.json"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(collector.rawAlarmsOf("am-eu1")).extracting(KeyedAlarm::key).containsExactly("am-eu1:6c1b3ed8d0fd1a7e");
    }

    @Test
    void anotherVersionIsRefusedNamingVersion() throws Exception {
        ObjectNode v3 = (ObjectNode) JSON.readTree(resource("alertmanager/firing.json"));
        v3.put("version", "3");
        v3.put("externalURL", "http://am-v3.example.com");
        assertThat(fields(collector.post(PATH, v3.toString()))).containsExactly("version");
        v3.remove("version");
        assertThat(fields(collector.post(PATH, v3.toString()))).containsExactly("version");
        assertThat(collector.rawAlarmsOf("am-v3.example.com")).isEmpty();
    }

    @Test
    void badAlertsAreProblemsNamingEachFieldAndNothingIsWritten() throws Exception {
        ObjectNode notification = (ObjectNode) JSON.readTree(resource("alertmanager/firing.json"));
        notification.put("externalURL", "http://am-bad.example.com:9093");
        ArrayNode alerts = (ArrayNode) notification.get("alerts");
        ((ObjectNode) alerts.get(0).get("labels")).remove("alertname");
        ((ObjectNode) alerts.get(1)).put("status", "pending");
        ((ObjectNode) alerts.get(1)).remove("fingerprint");
        ((ObjectNode) alerts.get(2).get("labels")).put("team", 7);
        ((ObjectNode) alerts.get(2)).put("startsAt", "yesterday");
        assertThat(fields(collector.post(PATH, notification.toString()))).containsExactlyInAnyOrder(
                "alerts[0].labels.alertname", "alerts[1].status", "alerts[1].fingerprint",
                "alerts[2].labels.team", "alerts[2].startsAt");

        assertThat(fields(collector.post(PATH + "?source=bad%20source", resource("alertmanager/firing.json"))))
                .containsExactly("source");
        ObjectNode noHost = (ObjectNode) JSON.readTree(resource("alertmanager/resolved.json"));
        noHost.put("externalURL", "not a url");
        assertThat(fields(collector.post(PATH, noHost.toString()))).containsExactly("externalURL");
        noHost.put("externalURL", "http://am-bad.example.com");
        noHost.set("alerts", JSON.createArrayNode());
        assertThat(fields(collector.post(PATH, noHost.toString()))).containsExactly("alerts");
        assertThat(fields(collector.post(PATH, "[]"))).containsExactly("body");

        assertThat(collector.rawAlarmsOf("am-bad.example.com")).isEmpty();
    }

    @Test
    void theCountOfAlertsIsBoundedByMaxRecords() throws Exception {
        ObjectNode notification = (ObjectNode) JSON.readTree(resource("alertmanager/resolved.json"));
        notification.put("externalURL", "http://am-many.example.com");
        ArrayNode alerts = (ArrayNode) notification.get("alerts");
        JsonNode one = alerts.get(0);
        for (int i = 1; i <= 1000; i++) {
            alerts.add(((ObjectNode) one.deepCopy()).put("fingerprint", String.format("%016x", i)));
        }
        HttpResponse<String> response = collector.post(PATH, notification.toString());
        assertThat(fields(response)).containsExactly("alerts");
        assertThat(response.body()).contains("at most 1000 alerts");
        assertThat(collector.rawAlarmsOf("am-many.example.com")).isEmpty();
    }

    static List<String> fields(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        return JSON.readTree(response.body()).get("errors").findValuesAsText("field");
    }
}
