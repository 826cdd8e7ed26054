package io.tocsin.rules.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.rules.definition.RulesLoader;
import io.tocsin.testing.KafkaBrokerExtension;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/v1/rules}: the shipped rules with those of {@code tocsin.rules.rules-dir} in their place. */
@ExtendWith(KafkaBrokerExtension.class)
class RulesApiTest {

    @TempDir
    static Path dir;
    static RulesInstance rules;

    @BeforeAll
    static void start() throws Exception {
        Path custom = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(custom.resolve("site.yaml"), """
                rules:
                  - type: HostRamUsage
                    kind: metric
                    metric: host.ram.usage
                    aggregate: avg
                    window: 5m
                    warning: {above: 85}
                    critical: {above: 95}
                    sustained: 2m
                    clear: {below: 75}
                    escalate: {after: 30m}
                    component: Host
                    categories: [Host]
                    title: "RAM on {host} is {value} %"
                    overrides:
                      - {cluster: batch, warning: {above: 95}, critical: {above: 99}}
                      - {host: "db1*", warning: {above: 90}}
                  - type: HostSshSlow
                    kind: metric
                    metric: host.ssh.connect.seconds
                    instance: "10.0.*"
                    consecutive: 3
                    warning: {between: [5, 10]}
                    component: Network
                    categories: [Network]
                  - {type: BackupFailed, kind: event, severity: critical, component: Backup, categories: [Backup, Cluster]}
                """);
        String prefix = RulesInstance.newPrefix("rulesapi");
        Map<String, Object> props = RulesInstance.properties(prefix, "rulesapi-" + prefix, dir.resolve("state"), -1);
        props.put("tocsin.rules.rules-dir", custom.toString());
        rules = RulesInstance.start(props);
    }

    @AfterAll
    static void stop() {
        if (rules != null) {
            rules.close();
        }
    }

    static JsonNode only(String type) {
        JsonNode list = rules.json("/api/v1/rules?type=" + type);
        assertThat(list.size()).as("rules of type %s", type).isEqualTo(1);
        return list.get(0);
    }

    @Test
    void everyRuleIsListedOncePerType() {
        JsonNode all = rules.json("/api/v1/rules");
        assertThat(all.size()).as("the shipped types; the custom file replaces three of them").isEqualTo(RulesLoader.defaults().size());
        assertThat(all.get(0).get("type").asText()).as("load order").isEqualTo("HostCpuUsage");
        assertThat(rules.json("/api/v1/rules?type=NoSuchType").size()).isZero();
    }

    @Test
    void theShippedHostCpuUsageRuleWithItsThresholds() {
        JsonNode cpu = only("HostCpuUsage");
        assertThat(cpu.get("kind").asText()).isEqualTo("metric");
        assertThat(cpu.get("metric").asText()).isEqualTo("host.cpu.usage");
        assertThat(cpu.get("warning").asText()).isEqualTo("above 80");
        assertThat(cpu.get("critical").asText()).isEqualTo("above 90");
        assertThat(cpu.get("aggregate").asText()).isEqualTo("last");
        assertThat(cpu.get("window").isNull()).isTrue();
        assertThat(cpu.get("instance").isNull()).isTrue();
        assertThat(cpu.get("severity").isNull()).as("metric rules have no fixed severity").isTrue();
        assertThat(cpu.get("component").asText()).isEqualTo("Host");
        assertThat(cpu.get("categories").toString()).isEqualTo("[\"Host\"]");
        assertThat(cpu.get("title").asText()).isEqualTo("CPU usage on {host} is {value} %");
        assertThat(cpu.get("recommendation").asText()).startsWith("Find the processes");
        assertThat(cpu.get("overrides").size()).isZero();

        JsonNode swap = only("HostSwapV2");
        assertThat(swap.get("aggregate").asText()).isEqualTo("sum");
        assertThat(swap.get("window").asText()).isEqualTo("10m");
        assertThat(swap.get("warning").asText()).isEqualTo("at-least 20");
        assertThat(swap.get("critical").asText()).isEqualTo("at-least 100");
        assertThat(rules.json("/api/v1/rules/GaleraWsrepMissing").get("escalate").get("cycles").asInt()).isEqualTo(20);
    }

    @Test
    void aRuleFromTheRulesDirectoryReplacesTheShippedOneWithItsOverrides() {
        JsonNode ram = only("HostRamUsage");
        assertThat(ram.get("warning").asText()).isEqualTo("above 85");
        assertThat(ram.get("critical").asText()).isEqualTo("above 95");
        assertThat(ram.get("aggregate").asText()).isEqualTo("avg");
        assertThat(ram.get("window").asText()).isEqualTo("5m");
        assertThat(ram.get("sustained").asText()).isEqualTo("2m");
        assertThat(ram.get("clear").asText()).isEqualTo("below 75");
        assertThat(ram.get("escalate").get("after").asText()).isEqualTo("30m");
        assertThat(ram.get("escalate").get("cycles").isNull()).isTrue();
        assertThat(ram.get("title").asText()).isEqualTo("RAM on {host} is {value} %");
        assertThat(ram.get("message").isNull()).isTrue();
        JsonNode overrides = ram.get("overrides");
        assertThat(overrides.size()).isEqualTo(2);
        assertThat(overrides.get(0).toString()).isEqualTo("{\"cluster\":\"batch\",\"host\":null,\"warning\":\"above 95\",\"critical\":\"above 99\"}");
        assertThat(overrides.get(1).toString()).isEqualTo("{\"cluster\":null,\"host\":\"db1*\",\"warning\":\"above 90\",\"critical\":null}");

        JsonNode ssh = rules.json("/api/v1/rules/HostSshSlow");
        assertThat(ssh.get("instance").asText()).isEqualTo("10.0.*");
        assertThat(ssh.get("consecutive").asInt()).isEqualTo(3);
        assertThat(ssh.get("warning").asText()).isEqualTo("between [5, 10]");
        assertThat(ssh.get("critical").isNull()).isTrue();

        JsonNode backup = rules.json("/api/v1/rules/BackupFailed");
        assertThat(backup.get("kind").asText()).isEqualTo("event");
        assertThat(backup.get("severity").asText()).isEqualTo("CRITICAL");
        assertThat(backup.get("metric").isNull()).isTrue();
        assertThat(backup.get("categories").toString()).isEqualTo("[\"Backup\",\"Cluster\"]");
    }

    @Test
    void anUnknownTypeIs404() throws Exception {
        HttpResponse<String> response = rules.get("/api/v1/rules/NoSuchType");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(RulesInstance.JSON.readTree(response.body()).get("detail").asText()).contains("NoSuchType");
        assertThat(rules.anonymousGet("/api/v1/rules").statusCode()).isEqualTo(401);
    }
}
