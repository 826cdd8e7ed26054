package io.tocsin.standalone.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart's alert rules and the dashboard's queries are valid PromQL, and each alert fires on its condition and
 * not otherwise, as Prometheus's own {@code promtool} evaluates them ({@code promtool check rules}, {@code promtool
 * test rules} with the cases of {@code alert-tests.yaml}). promtool comes from Debian's {@code prometheus} package;
 * without it the test fails and says so.
 */
class PrometheusRulesPromtoolTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    record Run(int exit, String output) {
    }

    static Run promtool(Path dir, String... args) throws IOException, InterruptedException {
        Path promtool = null;
        for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(entry, "promtool");
            if (Files.isExecutable(candidate)) {
                promtool = candidate;
                break;
            }
        }
        assertThat(promtool).as("promtool is not on PATH: install Debian's package (apt-get install --no-install-recommends prometheus)")
                .isNotNull();
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output;
        try (InputStream out = process.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        return new Run(process.exitValue(), output);
    }

    @Test
    void theAlertRulesAndEveryDashboardQueryAreValidPromQl() throws Exception {
        // Each panel query becomes a recording rule, with Grafana's variables given values as Grafana would.
        List<Map<String, Object>> rules = new ArrayList<>();
        JsonNode dashboard = JSON.readTree(DashboardMetricsTest.DASHBOARD.toFile());
        for (JsonNode panel : DashboardMetricsTest.panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText().replace("$__rate_interval", "1m").replace("$job", ".*");
                Map<String, Object> rule = new LinkedHashMap<>();
                rule.put("record", "dashboard:panel_" + panel.path("id").asInt() + "_" + target.path("refId").asText());
                rule.put("expr", expr);
                rules.add(rule);
            }
        }
        assertThat(rules).hasSizeGreaterThan(20);
        Path queries = work.resolve("dashboard-queries.yaml");
        try (Writer out = Files.newBufferedWriter(queries)) {
            new Yaml().dump(Map.of("groups", List.of(Map.of("name", "dashboard", "rules", rules))), out);
        }
        Run run = promtool(work, "check", "rules", DashboardMetricsTest.ALERTS.toAbsolutePath().toString(), queries.toString());
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS: " + rules.size() + " rules found");
    }

    @Test
    void eachAlertFiresOnItsConditionAndNotOtherwise() throws Exception {
        // promtool compares annotations too; the cases check expressions, durations and labels, so the rules are
        // given without their (long, templated) annotations, which check rules above validates.
        Map<String, Object> spec;
        try (InputStream in = Files.newInputStream(DashboardMetricsTest.ALERTS)) {
            spec = new Yaml().load(in);
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> groups = (List<Map<String, Object>>) spec.get("groups");
        int alerts = 0;
        for (Map<String, Object> group : groups) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rules = (List<Map<String, Object>>) group.get("rules");
            for (Map<String, Object> rule : rules) {
                rule.remove("annotations");
                alerts++;
            }
        }
        try (Writer out = Files.newBufferedWriter(work.resolve("prometheus-rules.yaml"))) {
            new Yaml().dump(spec, out);
        }
        String cases;
        try (InputStream in = getClass().getResourceAsStream("alert-tests.yaml")) {
            cases = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.writeString(work.resolve("alert-tests.yaml"), cases);
        for (Map<String, Object> group : groups) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rules = (List<Map<String, Object>>) group.get("rules");
            for (Map<String, Object> rule : rules) {
                assertThat(cases).as("a promtool case of " + rule.get("alert")).contains("alertname: " + rule.get("alert") + "\n");
            }
        }

        Run run = promtool(work, "test", "rules", "alert-tests.yaml");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS");
        assertThat(alerts).as("alerts tested").isPositive();
    }
}
