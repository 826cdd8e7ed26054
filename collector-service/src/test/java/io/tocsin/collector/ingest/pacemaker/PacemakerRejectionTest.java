package io.tocsin.collector.ingest.pacemaker;

import static io.tocsin.collector.ingest.pacemaker.PacemakerFixture.form;
import static io.tocsin.collector.ingest.pacemaker.PacemakerFixture.json;
import static io.tocsin.collector.ingest.pacemaker.PacemakerFixture.recorded;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.testing.KafkaBrokerExtension;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the endpoint refuses: 400 problem+json naming the field (each bad alert is otherwise a valid one, so that
 * skipping a check would write it), 415 for another content type, 401 without the token; nothing reaches Kafka.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PacemakerRejectionTest {

    static final String FORM = "application/x-www-form-urlencoded";
    static final String SOURCE = "t-bad";
    static PacemakerFixture collector;

    @BeforeAll
    static void start() {
        collector = new PacemakerFixture(Map.of("tocsin.collector.ingest.pacemaker.max-fields", 30));
    }

    @AfterAll
    static void stop() {
        collector.close();
    }

    static void assertRefused(HttpResponse<String> response, String... fields) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        JsonNode problem = PacemakerFixture.JSON.readTree(response.body());
        assertThat(problem.get("errors").findValuesAsText("field")).as(response.body()).containsExactlyInAnyOrder(fields);
    }

    static HttpResponse<String> postForm(Map<String, String> fields) {
        return collector.post("source=" + SOURCE, FORM, form(fields));
    }

    static Map<String, String> without(String name, String field) {
        Map<String, String> alert = recorded(name);
        alert.remove(field);
        return alert;
    }

    @Test
    void badFieldsAreNamedAndNothingIsWritten() throws Exception {
        assertRefused(postForm(without("node-lost", "CRM_alert_kind")), "CRM_alert_kind");
        assertRefused(postForm(recorded("node-lost", Map.of("CRM_alert_kind", "quorum"))), "CRM_alert_kind");
        assertRefused(postForm(without("node-lost", "CRM_alert_node")), "CRM_alert_node");
        assertRefused(postForm(recorded("node-lost", Map.of("CRM_alert_desc", "gone"))), "CRM_alert_desc");
        assertRefused(postForm(recorded("fencing-failed", Map.of("CRM_alert_rc", "timeout"))), "CRM_alert_rc");
        assertRefused(postForm(recorded("resource-monitor-failed", Map.of("CRM_alert_rc", "abc", "CRM_alert_interval", "-5"))),
                "CRM_alert_rc", "CRM_alert_interval");
        Map<String, String> incomplete = without("resource-monitor-failed", "CRM_alert_rsc");
        incomplete.remove("CRM_alert_target_rc");
        incomplete.remove("CRM_alert_status");
        assertRefused(postForm(incomplete), "CRM_alert_rsc", "CRM_alert_target_rc", "CRM_alert_status");
        assertRefused(postForm(recorded("node-lost", Map.of("CRM_alert_node_sequence", "eleven"))), "CRM_alert_node_sequence");
        assertRefused(postForm(recorded("node-lost", Map.of("CRM_alert_timestamp_usec", "1000000"))), "CRM_alert_timestamp_usec");
        assertRefused(postForm(recorded("node-lost", Map.of("CRM_alert_timestamp_epoch", "soon"))), "CRM_alert_timestamp_epoch");
        assertRefused(postForm(recorded("node-lost", Map.of("evil", "1"))), "evil");
        assertRefused(postForm(recorded("node-lost", Map.of("CRM_alert_node", "n".repeat(257)))), "CRM_alert_node");
        assertRefused(postForm(recorded("fencing-failed", Map.of("CRM_alert_desc", "bad\u0000byte"))), "CRM_alert_desc");
        assertRefused(collector.post("source=" + SOURCE, FORM, form(recorded("node-lost")) + "&CRM_alert_node=node3"), "CRM_alert_node");
        assertRefused(collector.post("source=" + SOURCE, FORM, form(recorded("node-lost")).replace("node2", "%zz")), "CRM_alert_node");

        String json = json(recorded("node-lost"));
        assertRefused(collector.post("source=" + SOURCE, "application/json", "[" + json + "]"), "body");
        assertRefused(collector.post("source=" + SOURCE, "application/json", json.replace("\"node\"", "{\"x\":1}")), "CRM_alert_kind");
        assertRefused(collector.post("source=" + SOURCE, "application/json", json + " trailing"), "body");
        assertRefused(collector.post("source=" + SOURCE, "application/json", ""), "body");

        assertThat(collector.alarms(SOURCE)).isEmpty();
    }

    @Test
    void theNumberOfFieldsIsBounded() throws Exception {
        Map<String, String> alert = recorded("node-lost");
        for (int i = 0; alert.size() <= 30; i++) {
            alert.put("CRM_alert_future_" + i, "x");
        }
        HttpResponse<String> tooMany = postForm(alert);
        assertRefused(tooMany, "body");
        assertThat(tooMany.body()).contains("at most 30 fields");
        assertRefused(collector.post("source=" + SOURCE, "application/json", json(alert)), "body");

        alert.remove("CRM_alert_future_0");
        assertThat(postForm(alert).statusCode()).as("unknown CRM_alert_* variables within the bound are ignored").isEqualTo(202);
    }

    @Test
    void aBadSourceOrClusterNamesWhereItCameFrom() throws Exception {
        assertRefused(collector.post("source=bad%20source", FORM, form(recorded("node-lost"))), "source");
        assertRefused(collector.post("", FORM, form(recorded("node-lost", Map.of("tocsin_source", "a:b")))), "tocsin_source");
        assertRefused(collector.post("source=ok&cluster=" + "c".repeat(300), FORM, form(recorded("node-lost"))), "cluster");
        assertThat(collector.alarms("ok")).isEmpty();
    }

    @Test
    void otherContentTypesAndMissingTokensAreRefused() throws Exception {
        HttpResponse<String> text = collector.post("source=" + SOURCE, "text/plain", form(recorded("node-lost")));
        assertThat(text.statusCode()).as(text.body()).isEqualTo(415);
        HttpResponse<String> anonymous = collector.post("source=" + SOURCE, FORM, form(recorded("node-lost")), null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(collector.post("source=" + SOURCE, FORM, form(recorded("node-lost")), "wrong").statusCode()).isEqualTo(401);
        assertThat(collector.alarms(SOURCE)).isEmpty();
    }
}
