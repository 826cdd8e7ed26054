package io.tocsin.collector.ingest.pacemaker;

import static io.tocsin.collector.ingest.pacemaker.PacemakerFixture.form;
import static io.tocsin.collector.ingest.pacemaker.PacemakerFixture.json;
import static io.tocsin.collector.ingest.pacemaker.PacemakerFixture.recorded;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.Severity;
import io.tocsin.testing.KafkaBrokerExtension;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Recorded Pacemaker alerts of each kind through the real endpoint to the real broker: exactly the documented raw alarms. */
@ExtendWith(KafkaBrokerExtension.class)
class PacemakerIngestTest {

    static final String FORM = "application/x-www-form-urlencoded";
    static final String JSON_TYPE = "application/json";
    static PacemakerFixture collector;

    @BeforeAll
    static void start() {
        collector = new PacemakerFixture(Map.of());
    }

    @AfterAll
    static void stop() {
        collector.close();
    }

    static JsonNode accepted(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return PacemakerFixture.JSON.readTree(response.body());
    }

    static RawAlarm.Builder alarm(String source, String alarmId, RawAlarmState state, String type, String component, String cluster,
                                  String hostname, String timestamp, Map<String, String> labels) {
        return RawAlarm.newBuilder().setSource(source).setAlarmId(alarmId).setState(state).setType(type).setSeverity(null)
                .setComponent(component).setCluster(cluster).setHostname(hostname).setTimestamp(Instant.parse(timestamp))
                .setLabels(labels);
    }

    @Test
    void nodeLostRaisesACriticalAlarmThatMemberClears() throws Exception {
        JsonNode lost = accepted(collector.post("source=t-node&cluster=prod-ha", FORM, form(recorded("node-lost"))));
        assertThat(lost.get("alarmKeys").toString()).isEqualTo("[\"t-node:node/node2\"]");
        assertThat(lost.get("accepted").asInt()).isEqualTo(1);
        accepted(collector.post("source=t-node&cluster=prod-ha", FORM, form(recorded("node-member"))));

        Map<String, String> labels = Map.of("pacemaker_kind", "node", "pacemaker_nodeid", "2");
        assertThat(collector.alarms("t-node")).containsExactly(
                alarm("t-node", "node/node2", RawAlarmState.RAISED, "PacemakerNodeLost", "Node", "prod-ha", "node2",
                        "2026-11-20T10:00:00.250Z", labels).setSeverity(Severity.CRITICAL)
                        .setTitle("Pacemaker node node2 is lost")
                        .setMessage("Cluster node node2 left the membership of cluster prod-ha.")
                        .setRecommendation("Check whether node2 is down or cut off from the cluster network. The cluster fences a "
                                + "lost node before it recovers the node's resources.").build(),
                alarm("t-node", "node/node2", RawAlarmState.CLEARED, "PacemakerNodeLost", "Node", "prod-ha", "node2",
                        "2026-11-20T10:04:10Z", labels)
                        .setTitle("Pacemaker node node2 is a member again")
                        .setMessage("Cluster node node2 is a member of cluster prod-ha.").build());
    }

    @Test
    void aFailedFencingIsCriticalUntilTheTargetIsFenced() throws Exception {
        accepted(collector.postForm("t-fence", recorded("fencing-failed")));
        accepted(collector.postForm("t-fence", recorded("fencing-succeeded")));

        assertThat(collector.alarms("t-fence")).containsExactly(
                alarm("t-fence", "fencing/node2", RawAlarmState.RAISED, "PacemakerFencingFailed", "Cluster", "", "node2",
                        "2026-11-20T10:01:00Z", Map.of("pacemaker_kind", "fencing", "pacemaker_action", "reboot", "pacemaker_rc", "-62"))
                        .setSeverity(Severity.CRITICAL)
                        .setTitle("Fencing (reboot) of node2 failed")
                        .setMessage("Operation reboot of node2 by node1 for pacemaker-controld.1822@node1: Timed out "
                                + "(ref=6f1c2a4e-3b1d-4c1e-9a51-0d2c7e9b8f10) (rc -62)")
                        .setRecommendation("The cluster cannot recover the resources of node2 until it is fenced. Check the fence "
                                + "devices (stonith_admin --history node2); once node2 is verified down, confirm it manually "
                                + "(stonith_admin --confirm node2).").build(),
                alarm("t-fence", "fencing/node2", RawAlarmState.CLEARED, "PacemakerFencingFailed", "Cluster", "", "node2",
                        "2026-11-20T10:02:30.500Z", Map.of("pacemaker_kind", "fencing", "pacemaker_action", "reboot", "pacemaker_rc", "0"))
                        .setTitle("Fencing (reboot) of node2 succeeded")
                        .setMessage("Operation reboot of node2 by node3 for pacemaker-controld.1822@node1: OK "
                                + "(ref=0b6a3c55-52e4-4d0e-8d8f-1f6a0f0d4a21) (rc 0)").build());
    }

    @Test
    void resourceFailuresRaiseAndTheNextSuccessOfTheSameOperationClears() throws Exception {
        accepted(collector.postForm("t-rsc", recorded("resource-monitor-failed")));
        accepted(collector.postForm("t-rsc", recorded("resource-monitor-recovered")));
        accepted(collector.postForm("t-rsc", recorded("resource-start-timed-out")));
        JsonNode degraded = accepted(collector.postForm("t-rsc", recorded("resource-monitor-degraded")));
        assertThat(degraded.get("alarmKeys").get(0).asText()).isEqualTo("t-rsc:resource/node1/galera/monitor/20000");

        String recommendation = "Find the cause in the resource agent's log on %s (pcs status --full, crm_mon --failcounts). After "
                + "fixing it, clean up: pcs resource cleanup %s (crm resource cleanup %s). The alarm clears when %s succeeds again on %s.";
        assertThat(collector.alarms("t-rsc")).containsExactly(
                alarm("t-rsc", "resource/node1/db/monitor/10000", RawAlarmState.RAISED, "PacemakerResourceFailed", "Cluster", "", "node1",
                        "2026-11-20T10:10:00Z", resourceLabels("db", "monitor", "10000", "7", "0", "0"))
                        .setSeverity(Severity.CRITICAL)
                        .setTitle("Resource db monitor (every 10000 ms) on node1 failed: Not running")
                        .setMessage("Operation monitor (every 10000 ms) of resource db on node1 returned 7 (expected 0), execution "
                                + "status 0 (Not running).")
                        .setRecommendation(recommendation.formatted("node1", "db", "db", "monitor (every 10000 ms)", "node1")).build(),
                alarm("t-rsc", "resource/node1/db/monitor/10000", RawAlarmState.CLEARED, "PacemakerResourceFailed", "Cluster", "", "node1",
                        "2026-11-20T10:10:40Z", resourceLabels("db", "monitor", "10000", "0", "0", "0"))
                        .setTitle("Resource db monitor (every 10000 ms) on node1 succeeded")
                        .setMessage("Operation monitor (every 10000 ms) of resource db on node1: OK.").build(),
                alarm("t-rsc", "resource/node3/vip/start/0", RawAlarmState.RAISED, "PacemakerResourceFailed", "Cluster", "", "node3",
                        "2026-11-20T10:20:00Z", resourceLabels("vip", "start", "0", "1", "0", "2"))
                        .setSeverity(Severity.CRITICAL)
                        .setTitle("Resource vip start on node3 failed: Timed out")
                        .setMessage("Operation start of resource vip on node3 returned 1 (expected 0), execution status 2 (Timed out). "
                                + "It timed out after 20000 ms.")
                        .setRecommendation(recommendation.formatted("node3", "vip", "vip", "start", "node3")).build(),
                alarm("t-rsc", "resource/node1/galera/monitor/20000", RawAlarmState.RAISED, "PacemakerResourceDegraded", "Cluster", "", "node1",
                        "2026-11-20T10:30:00Z", resourceLabels("galera", "monitor", "20000", "190", "0", "0"))
                        .setSeverity(Severity.WARNING)
                        .setTitle("Resource galera monitor (every 20000 ms) on node1 is degraded: Service is active but might fail soon")
                        .setMessage("Operation monitor (every 20000 ms) of resource galera on node1 returned 190 (expected 0), execution "
                                + "status 0 (Service is active but might fail soon).")
                        .setRecommendation(recommendation.formatted("node1", "galera", "galera", "monitor (every 20000 ms)", "node1")).build());
    }

    private static Map<String, String> resourceLabels(String rsc, String task, String interval, String rc, String targetRc, String status) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("pacemaker_kind", "resource");
        labels.put("pacemaker_rsc", rsc);
        labels.put("pacemaker_task", task);
        labels.put("pacemaker_interval_ms", interval);
        labels.put("pacemaker_rc", rc);
        labels.put("pacemaker_target_rc", targetRc);
        labels.put("pacemaker_status", status);
        return labels;
    }

    @Test
    void attributeAlertsCancelledOperationsAndProbesThatFindTheResourceRunningAreIgnored() throws Exception {
        for (String name : List.of("attribute", "resource-monitor-cancelled", "resource-probe-found-running")) {
            JsonNode answer = accepted(collector.postForm("t-ignored", recorded(name)));
            assertThat(answer.get("accepted").asInt()).as(name).isZero();
            assertThat(answer.get("ignored").asInt()).as(name).isEqualTo(1);
            assertThat(answer.get("reason").asText()).as(name).isNotBlank();
        }
        assertThat(collector.counter("tocsin.collector.pacemaker.alerts", "kind", "attribute", "outcome", "ignored")).isEqualTo(1);
        // A failed probe (not installed where expected not running) is a failure like any other.
        accepted(collector.postForm("t-ignored", recorded("resource-probe-found-running", Map.of("CRM_alert_rc", "5", "CRM_alert_desc", "Not installed"))));
        assertThat(collector.alarms("t-ignored")).singleElement().satisfies(alarm -> {
            assertThat(alarm.getAlarmId()).isEqualTo("resource/node2/db/monitor/0");
            assertThat(alarm.getState()).isEqualTo(RawAlarmState.RAISED);
        });
    }

    @Test
    void jsonAndFormFieldsGiveTheSameAlarm() throws Exception {
        Map<String, String> alert = recorded("resource-start-timed-out", Map.of("tocsin_cluster", "ha-1", "CRM_alert_desc", "Délai dépassé + 100% & more"));
        accepted(collector.post("source=t-form", FORM, form(alert)));
        accepted(collector.post("source=t-json", JSON_TYPE, json(alert)));
        // JSON numbers are taken as their text; the source may come from the body.
        String numbers = json(alert).replace("\"CRM_alert_rc\":\"1\"", "\"CRM_alert_rc\":1").replace("}", ",\"tocsin_source\":\"t-json2\"}");
        assertThat(numbers).contains("\"CRM_alert_rc\":1,");
        accepted(collector.post("", JSON_TYPE + "; charset=UTF-8", numbers));

        RawAlarm viaForm = collector.alarms("t-form").getFirst();
        assertThat(viaForm.getCluster()).isEqualTo("ha-1");
        assertThat(viaForm.getTitle()).isEqualTo("Resource vip start on node3 failed: Délai dépassé + 100% & more");
        assertThat(RawAlarm.newBuilder(collector.alarms("t-json").getFirst()).setSource("t-form").build()).isEqualTo(viaForm);
        assertThat(RawAlarm.newBuilder(collector.alarms("t-json2").getFirst()).setSource("t-form").build()).isEqualTo(viaForm);
    }

    @Test
    void theDefaultSourceIsPacemakerAndTheTimestampMayComeFromAnIsoFormat() throws Exception {
        Map<String, String> alert = recorded("node-lost", Map.of("CRM_alert_node", "default-source-node",
                "CRM_alert_timestamp", "2026-11-20T11:00:00.123456+01:00"));
        alert.remove("CRM_alert_timestamp_epoch");
        alert.remove("CRM_alert_timestamp_usec");
        assertThat(accepted(collector.post("", FORM, form(alert))).get("alarmKeys").get(0).asText())
                .isEqualTo("pacemaker:node/default-source-node");
        assertThat(collector.alarms("pacemaker")).filteredOn(a -> a.getAlarmId().equals("node/default-source-node"))
                .singleElement().satisfies(a -> assertThat(a.getTimestamp()).isEqualTo(Instant.parse("2026-11-20T10:00:00.123Z")));
    }
}
