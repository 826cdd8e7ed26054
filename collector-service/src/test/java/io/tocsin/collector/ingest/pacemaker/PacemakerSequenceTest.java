package io.tocsin.collector.ingest.pacemaker;

import static io.tocsin.collector.ingest.pacemaker.PacemakerFixture.recorded;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.testing.KafkaBrokerExtension;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code CRM_alert_node_sequence}: a late agent's alert is dropped, per reporting node and alarm, on a real broker. */
@ExtendWith(KafkaBrokerExtension.class)
class PacemakerSequenceTest {

    static PacemakerFixture collector;

    @BeforeAll
    static void start() {
        collector = new PacemakerFixture(Map.of("tocsin.collector.ingest.pacemaker.sequence-gate-size", 2));
    }

    @AfterAll
    static void stop() {
        collector.close();
    }

    static JsonNode send(String source, String name, Map<String, String> changes) throws Exception {
        HttpResponse<String> response = collector.postForm(source, recorded(name, changes));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return PacemakerFixture.JSON.readTree(response.body());
    }

    @Test
    void anAlertOvertakenByALaterOneFromTheSameNodeIsDropped() throws Exception {
        // The monitor recovered (sequence 24) and its agent reached the collector before the agent of the failure (20).
        assertThat(send("t-seq", "resource-monitor-recovered", Map.of("tocsin_reporter", "node1")).get("accepted").asInt()).isEqualTo(1);
        JsonNode late = send("t-seq", "resource-monitor-failed", Map.of("tocsin_reporter", "node1"));
        assertThat(late.get("accepted").asInt()).isZero();
        assertThat(late.get("dropped").asInt()).isEqualTo(1);
        assertThat(late.get("reason").asText()).contains("node1", "t-seq:resource/node1/db/monitor/10000");
        // Sending it again changes nothing: the sequence is still not higher.
        assertThat(send("t-seq", "resource-monitor-failed", Map.of("tocsin_reporter", "node1")).get("dropped").asInt()).isEqualTo(1);

        assertThat(collector.alarms("t-seq")).extracting(RawAlarm::getState).containsExactly(RawAlarmState.CLEARED);
        assertThat(collector.counter("tocsin.collector.pacemaker.alerts", "kind", "resource", "outcome", "stale")).isEqualTo(2);
    }

    @Test
    void sequencesCountPerReportingNodeAndPerAlarm() throws Exception {
        // Every node reports a membership change with its own numbering (seed 004: no cluster-wide meaning).
        assertThat(send("t-per", "node-member", Map.of("tocsin_reporter", "node1", "CRM_alert_node_sequence", "14")).get("accepted").asInt()).isEqualTo(1);
        assertThat(send("t-per", "node-member", Map.of("tocsin_reporter", "node3", "CRM_alert_node_sequence", "9")).get("accepted").asInt())
                .as("another reporter's lower number").isEqualTo(1);
        assertThat(send("t-per", "node-lost", Map.of("tocsin_reporter", "node1", "CRM_alert_node", "node4", "CRM_alert_node_sequence", "3"))
                .get("accepted").asInt()).as("another alarm of the same reporter").isEqualTo(1);
        assertThat(send("t-per", "node-lost", Map.of("CRM_alert_node_sequence", "1")).get("accepted").asInt())
                .as("without tocsin_reporter nothing is dropped").isEqualTo(1);
        assertThat(collector.alarms("t-per")).hasSize(4);
    }

    @Test
    void aRestartedExecutorCountsFromOneAgainAndIsNotStale() throws Exception {
        send("t-restart", "node-member", Map.of("tocsin_reporter", "node1", "CRM_alert_node_sequence", "500"));
        // Same alarm, lower number, but a later time: pacemaker-execd restarted and numbers alerts from 1.
        JsonNode restarted = send("t-restart", "node-lost", Map.of("tocsin_reporter", "node1", "CRM_alert_node_sequence", "2",
                "CRM_alert_timestamp_epoch", "1795172400"));
        assertThat(restarted.get("accepted").asInt()).isEqualTo(1);
        assertThat(send("t-restart", "node-lost", Map.of("tocsin_reporter", "node1", "CRM_alert_node_sequence", "1"))
                .get("dropped").asInt()).as("an earlier alert of the restarted executor").isEqualTo(1);
        assertThat(collector.alarms("t-restart")).extracting(RawAlarm::getState).containsExactly(RawAlarmState.CLEARED, RawAlarmState.RAISED);
    }

    @Test
    void theGateForgetsTheLeastRecentlyUsedPairBeyondItsSize() throws Exception {
        double evicted = collector.counter("tocsin.collector.pacemaker.sequence.evictions");
        send("t-lru", "node-member", Map.of("tocsin_reporter", "node1", "CRM_alert_node", "a", "CRM_alert_node_sequence", "10"));
        send("t-lru", "node-member", Map.of("tocsin_reporter", "node1", "CRM_alert_node", "b", "CRM_alert_node_sequence", "11"));
        send("t-lru", "node-member", Map.of("tocsin_reporter", "node1", "CRM_alert_node", "c", "CRM_alert_node_sequence", "12"));
        assertThat(collector.counter("tocsin.collector.pacemaker.sequence.evictions")).isGreaterThan(evicted);
        var meters = collector.server.getApplicationContext().getBean(io.micrometer.core.instrument.MeterRegistry.class);
        assertThat(meters.get("tocsin.collector.pacemaker.sequence.entries").gauge().value()).isEqualTo(2);
        // "a" was forgotten: its late alert is no longer recognised as stale (what happens without a gate).
        assertThat(send("t-lru", "node-lost", Map.of("tocsin_reporter", "node1", "CRM_alert_node", "a", "CRM_alert_node_sequence", "9"))
                .get("accepted").asInt()).isEqualTo(1);
        assertThat(send("t-lru", "node-lost", Map.of("tocsin_reporter", "node1", "CRM_alert_node", "c", "CRM_alert_node_sequence", "8"))
                .get("dropped").asInt()).as("c is remembered").isEqualTo(1);
    }
}
