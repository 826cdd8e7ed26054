package io.tocsin.rules.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.testing.Eventually;
import io.tocsin.testing.KafkaBrokerExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/hosts} and {@code /api/v1/sources} against a running rules service fed with metric samples and raw
 * alarms in the native JSON shapes (DESIGN.md section 4). Heartbeats are short here (1 s, 2 missed) so a host and a
 * source that fall silent go offline within seconds, while db1 and db2 keep sending.
 */
@ExtendWith(KafkaBrokerExtension.class)
class HostsAndSourcesApiTest {

    @TempDir
    static Path state;
    static RulesInstance rules;
    static RulesInstance.RawProducer raw;
    static ScheduledExecutorService keepAlive;

    @BeforeAll
    static void startAndFeed() {
        String prefix = RulesInstance.newPrefix("inventory");
        Map<String, Object> props = RulesInstance.properties(prefix, "inventory-" + prefix, state, -1);
        props.put("tocsin.rules.heartbeat-interval", "1s");
        props.put("tocsin.rules.heartbeat-missed", 2);
        props.put("tocsin.rules.check-interval", "200ms");
        props.put("tocsin.rules.status-flush-interval", "100ms");
        rules = RulesInstance.start(props);
        raw = new RulesInstance.RawProducer(prefix);

        sample("lost1", "prod-galera", "host.cpu.usage", "", 20);
        keepAlive = Executors.newSingleThreadScheduledExecutor();
        keepAlive.scheduleAtFixedRate(() -> {
            sample("db1", "prod-galera", "host.cpu.usage", "", 95);
            sample("db1", "prod-galera", "host.disk.usage", "/var", 50);
            sample("db2", "batch", "host.cpu.usage", "", 10);
            sample("db2", "batch", "host.ram.usage", "", 85);
        }, 0, 300, TimeUnit.MILLISECONDS);

        raw.alarm("cc-1", "1", alarm("cc-1", "1", "RAISED", "CRITICAL", "1h"));
        raw.alarm("cc-1", "2", alarm("cc-1", "2", "RAISED", "WARNING", null));
        raw.alarm("cc-1", "2", alarm("cc-1", "2", "CLEARED", "WARNING", null));
        raw.alarm("am-1", "fp", alarm("am-1", "fp", "RAISED", "WARNING", null));
        raw.alarm("quiet", "q1", alarm("quiet", "q1", "RAISED", "WARNING", "1s"));
    }

    @AfterAll
    static void stop() {
        if (keepAlive != null) {
            keepAlive.shutdownNow();
        }
        if (raw != null) {
            raw.close();
        }
        if (rules != null) {
            rules.close();
        }
    }

    static void sample(String host, String cluster, String metric, String instance, double value) {
        raw.metric(host, """
                {"host": "%s", "cluster": "%s", "metric": "%s", "instance": "%s", "value": %s, "timestamp": "%s"}
                """.formatted(host, cluster, metric, instance, value, Instant.now()));
    }

    static String alarm(String source, String id, String state, String severity, String interval) {
        String labels = interval == null ? "{}" : "{\"tocsin.expected-interval\": \"" + interval + "\"}";
        return """
                {"source": "%s", "alarmId": "%s", "state": "%s", "type": "BackupFailed", "severity": "%s", "hostname": "db1",
                 "title": "Backup failed", "labels": %s}
                """.formatted(source, id, state, severity, labels);
    }

    static List<String> names(JsonNode page, String field) {
        List<String> names = new ArrayList<>();
        page.get("items").forEach(item -> names.add(item.get(field).asText()));
        return names;
    }

    static JsonNode item(JsonNode page, String field, String name) {
        for (JsonNode item : page.get("items")) {
            if (item.get(field).asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError(name + " not in " + page);
    }

    @Test
    void hostsShowHeartbeatLatestValuesAndOpenAlarms() throws Exception {
        Eventually.within(Duration.ofSeconds(30), () -> {
            JsonNode hosts = rules.json("/api/v1/hosts");
            assertThat(hosts.get("total").asLong()).isEqualTo(3);
            assertThat(names(hosts, "host")).containsExactly("db1", "db2", "lost1");
            JsonNode db1 = item(hosts, "host", "db1");
            assertThat(db1.get("status").asText()).isEqualTo("online");
            assertThat(db1.get("cluster").asText()).isEqualTo("prod-galera");
            assertThat(db1.get("latest").toString()).contains("\"metric\":\"host.cpu.usage\",\"instance\":\"\",\"value\":95.0")
                    .contains("\"metric\":\"host.disk.usage\",\"instance\":\"/var\",\"value\":50.0");
            assertThat(db1.get("openAlarms").toString()).as("HostCpuUsage at 95, and the raw alarms of cc-1, am-1 and quiet about db1")
                    .isEqualTo("{\"total\":4,\"warning\":2,\"critical\":2}");
            assertThat(item(hosts, "host", "db2").get("openAlarms").toString()).as("HostRamUsage at 85")
                    .isEqualTo("{\"total\":1,\"warning\":1,\"critical\":0}");
            JsonNode lost = item(hosts, "host", "lost1");
            assertThat(lost.get("status").asText()).isEqualTo("offline");
            assertThat(lost.get("openAlarms").toString()).as("HostHeartbeatLost").isEqualTo("{\"total\":1,\"warning\":0,\"critical\":1}");
        });
        JsonNode db1 = rules.json("/api/v1/hosts/db1");
        assertThat(Instant.parse(db1.get("lastSampleAt").asText())).isAfter(Instant.now().minusSeconds(60));
        assertThat(Instant.parse(db1.get("lastReceivedAt").asText())).isAfter(Instant.now().minusSeconds(60));
        assertThat(db1.get("latest").get(0).get("metric").asText()).as("sorted by metric").isEqualTo("host.cpu.usage");
        Instant.parse(db1.get("latest").get(0).get("at").asText());

        assertThat(names(rules.json("/api/v1/hosts?status=offline"), "host")).containsExactly("lost1");
        assertThat(names(rules.json("/api/v1/hosts?status=online&cluster=prod-*"), "host")).containsExactly("db1");
        assertThat(names(rules.json("/api/v1/hosts?cluster=batch,prod-galera"), "host")).containsExactly("db1", "db2", "lost1");
        JsonNode second = rules.json("/api/v1/hosts?size=1&page=1");
        assertThat(second.get("total").asLong()).isEqualTo(3);
        assertThat(names(second, "host")).containsExactly("db2");
        HttpResponse<String> unknown = rules.get("/api/v1/hosts/nohost");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(RulesInstance.JSON.readTree(unknown.body()).get("detail").asText()).contains("nohost");
        HttpResponse<String> bad = rules.get("/api/v1/hosts?status=asleep&size=0");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"field\":\"status\"").contains("\"field\":\"size\"");

        // The host speaks again: online, and its heartbeat alarm ends.
        sample("lost1", "prod-galera", "host.cpu.usage", "", 21);
        Eventually.within(Duration.ofSeconds(10), () -> {
            JsonNode back = rules.json("/api/v1/hosts/lost1");
            assertThat(back.get("status").asText()).isEqualTo("online");
            assertThat(back.get("openAlarms").get("total").asLong()).isZero();
            assertThat(back.get("latest").get(0).get("value").asDouble()).isEqualTo(21.0);
        });
    }

    @Test
    void sourcesShowActivityHeartbeatStatusAndOpenAlarms() throws Exception {
        Eventually.within(Duration.ofSeconds(30), () -> {
            JsonNode sources = rules.json("/api/v1/sources");
            assertThat(names(sources, "source")).containsExactly("am-1", "cc-1", "quiet");
            JsonNode cc1 = item(sources, "source", "cc-1");
            assertThat(cc1.get("status").asText()).isEqualTo("online");
            assertThat(cc1.get("raised").asLong()).isEqualTo(2);
            assertThat(cc1.get("cleared").asLong()).isEqualTo(1);
            assertThat(cc1.get("expectedInterval").asText()).isEqualTo("PT1H");
            assertThat(cc1.get("openAlarms").toString()).isEqualTo("{\"total\":1,\"warning\":0,\"critical\":1}");
            JsonNode am1 = item(sources, "source", "am-1");
            assertThat(am1.get("status").asText()).as("no expected interval").isEqualTo("unknown");
            assertThat(am1.get("expectedInterval").isNull()).isTrue();
            assertThat(am1.get("openAlarms").get("warning").asLong()).isEqualTo(1);
            assertThat(item(sources, "source", "quiet").get("status").asText()).isEqualTo("offline");
        });
        JsonNode cc1 = rules.json("/api/v1/sources/cc-1");
        assertThat(Instant.parse(cc1.get("lastEventAt").asText())).isAfter(Instant.now().minusSeconds(120));
        assertThat(Instant.parse(cc1.get("lastReceivedAt").asText())).isAfter(Instant.now().minusSeconds(120));
        assertThat(names(rules.json("/api/v1/sources?status=unknown"), "source")).containsExactly("am-1");
        assertThat(names(rules.json("/api/v1/sources?status=OFFLINE"), "source")).containsExactly("quiet");
        assertThat(rules.get("/api/v1/sources/nobody").statusCode()).isEqualTo(404);
        HttpResponse<String> bad = rules.get("/api/v1/sources?status=gone");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"field\":\"status\"");
    }
}
