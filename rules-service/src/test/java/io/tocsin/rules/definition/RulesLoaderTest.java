package io.tocsin.rules.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesLoaderTest {

    static final String CPU = """
            rules:
              - type: HostCpuUsage
                kind: metric
                metric: host.cpu.usage
                warning: {above: 70}
                critical: {above: 85}
                component: Host
                categories: [Host]
            """;

    static List<String> errors(String yaml) {
        try {
            RulesLoader.load(List.of(new RulesLoader.Source("rules/custom.yaml", yaml)));
        } catch (RulesException e) {
            return e.errors();
        }
        throw new AssertionError("expected the rules to be refused");
    }

    @Test
    void aBadFileReportsAllItsErrorsAtOnceNamingFileRuleAndField() {
        List<String> errors = errors("""
                rules:
                  - type: HostCpuUsage
                    kind: metric
                    metric: host.cpu.usage
                    warning: {above: eighty}
                    critcal: {above: 90}
                    aggregate: avg
                    window: 10 minutes
                    component: Host
                    categories: [Host, Hosts]
                    title: "CPU on {hostname}"
                  - type: HostRamUsage
                    kind: metric
                    metric: host.ram.usage
                    warning: {greater: 80}
                    component: Host
                    categories: [Host]
                  - type: HostRamUsage
                    kind: event
                    severity: fatal
                    component: Host
                    categories: [Host]
                """);
        assertThat(errors).containsExactlyInAnyOrder(
                "rules/custom.yaml: rule HostCpuUsage: warning.above must be a number",
                "rules/custom.yaml: rule HostCpuUsage: critcal is not a known field",
                "rules/custom.yaml: rule HostCpuUsage: window must be a positive duration like 30s, 10m or 1h, not '10 minutes'",
                "rules/custom.yaml: rule HostCpuUsage: categories has unknown category 'Hosts' (known: Network, CMON Database, Mail, Cluster, "
                        + "Cluster Configuration, Cluster Recovery, Node, Host, Database Health, Database Performance, Software Installation, Backup)",
                "rules/custom.yaml: rule HostCpuUsage: title has unknown placeholder {hostname} (known: {cluster}, {host}, {instance}, {threshold}, {value})",
                "rules/custom.yaml: rule HostRamUsage: warning.greater is not a condition (use one of above, below, at-least, at-most, between)",
                "rules/custom.yaml: rule HostRamUsage: type is defined twice in this file",
                "rules/custom.yaml: rule HostRamUsage: severity must be one of warning, critical, not 'fatal'");
    }

    @Test
    void structuralMistakesAreEachNamed() {
        assertThat(errors("""
                rules:
                  - type: HostSshSlow
                    kind: metric
                    metric: host.ssh.connect.seconds
                    warning: {between: [12, 6]}
                    critical: {above: 12, below: 20}
                    sustained: 1m
                    consecutive: 0
                    component: Network
                    categories: [Network]
                  - kind: event
                    severity: warning
                    metric: host.cpu.usage
                    component: Host
                    categories: []
                    message: "at {value}"
                """)).containsExactlyInAnyOrder(
                "rules/custom.yaml: rule HostSshSlow: warning.between must have low <= high",
                "rules/custom.yaml: rule HostSshSlow: critical must have exactly one of above, below, at-least, at-most, between, e.g. {above: 80}",
                "rules/custom.yaml: rule HostSshSlow: consecutive must be a positive whole number",
                "rules/custom.yaml: rule HostSshSlow: sustained and consecutive cannot both be set",
                "rules/custom.yaml: rule #2: type is required",
                "rules/custom.yaml: rule #2: metric is not allowed in an event rule",
                "rules/custom.yaml: rule #2: categories must be a non-empty list",
                "rules/custom.yaml: rule #2: message cannot use {value} here (event rules have no value or threshold)");
        assertThat(errors("rules: {}\nextra: 1\n")).containsExactly("rules/custom.yaml: must be a mapping with a 'rules' list");
        assertThat(errors("rules: [")).singleElement().asString().startsWith("rules/custom.yaml: is not valid YAML");
        assertThat(errors("""
                rules:
                  - {type: X, kind: metric, metric: a.b, aggregate: avg, component: Host, categories: [Host], warning: {above: 1},
                     overrides: [{warning: {above: 2}}, {host: db1, critical: {over: 3}}]}
                """)).containsExactlyInAnyOrder(
                "rules/custom.yaml: rule X: window is required with aggregate avg",
                "rules/custom.yaml: rule X: overrides[0] needs a cluster or host selector",
                "rules/custom.yaml: rule X: overrides[1].critical.over is not a condition (use one of above, below, at-least, at-most, between)");
    }

    @Test
    void yamlTagsCannotInstantiateClasses() {
        assertThat(errors("rules:\n  - !!java.io.File [\"/tmp\"]\n")).singleElement().asString()
                .startsWith("rules/custom.yaml: is not valid YAML");
    }

    @Test
    void laterFilesOverrideEarlierOnesInNameOrderAndErrorsSpanFiles(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("20-cpu.yaml"), CPU.replace("70", "75"));
        Files.writeString(dir.resolve("10-cpu.yaml"), CPU);
        Files.writeString(dir.resolve("notes.txt"), "not rules");
        RuleSet set = RulesLoader.defaultsAnd(dir);
        assertThat(set.size()).isEqualTo(RulesLoader.defaults().size());
        assertThat(set.rule("HostCpuUsage").orElseThrow().warning()).isEqualTo(Condition.of(Condition.Operator.ABOVE, 75));
        assertThat(set.rule("HostCpuUsage").orElseThrow().title()).isNull();

        Files.writeString(dir.resolve("30-bad.yaml"), CPU.replace("{above: 85}", "{above: x}"));
        Files.writeString(dir.resolve("40-bad.yaml"), CPU.replace("Host]", "Mail, Mail]"));
        assertThatThrownBy(() -> RulesLoader.loadDirectory(dir)).isInstanceOfSatisfying(RulesException.class, e -> assertThat(e.errors())
                .containsExactly(dir.resolve("30-bad.yaml") + ": rule HostCpuUsage: critical.above must be a number",
                        dir.resolve("40-bad.yaml") + ": rule HostCpuUsage: categories lists 'Mail' twice"));
    }

    @Test
    void overridesResolveHostOverClusterOverDefault() {
        Rule rule = RulesLoader.load(List.of(new RulesLoader.Source("o.yaml", CPU + """
                    overrides:
                      - {host: "db1*", warning: {above: 95}}
                      - {cluster: prod, warning: {above: 60}, critical: {above: 70}}
                      - {cluster: prod, host: db2, critical: {above: 99}}
                """))).rule("HostCpuUsage").orElseThrow();
        assertThat(rule.effective("dev", "web1")).isEqualTo(new Thresholds(cond(70), cond(85)));
        assertThat(rule.effective("prod", "web1")).isEqualTo(new Thresholds(cond(60), cond(70)));
        assertThat(rule.effective("prod", "db1.eu")).isEqualTo(new Thresholds(cond(95), cond(70)));
        assertThat(rule.effective("dev", "db1")).isEqualTo(new Thresholds(cond(95), cond(85)));
        assertThat(rule.effective("prod", "db2")).isEqualTo(new Thresholds(cond(60), cond(99)));
        assertThat(rule.effective("dev", "db2")).isEqualTo(new Thresholds(cond(70), cond(85)));
        assertThat(rule.effective(null, null)).isEqualTo(new Thresholds(cond(70), cond(85)));
    }

    static Condition cond(double above) {
        return Condition.of(Condition.Operator.ABOVE, above);
    }

    @Test
    void templatesRenderOnlyKnownPlaceholdersVerbatim() {
        MessageTemplate template = MessageTemplate.parse("{host} at {value} % ({threshold}) in {cluster} {{literal}} {instance}");
        assertThat(template.placeholders()).containsExactly("host", "value", "threshold", "cluster", "instance");
        assertThat(template.render(Map.of("host", "db1", "value", "93.5", "threshold", "90", "cluster", "{value}")))
                .isEqualTo("db1 at 93.5 % (90) in {value} {literal} ");
        assertThatThrownBy(() -> MessageTemplate.parse("{host.name}")).hasMessageContaining("unknown placeholder {host.name}");
        assertThatThrownBy(() -> MessageTemplate.parse("cpu {host")).hasMessageContaining("unmatched '{'");
        assertThatThrownBy(() -> MessageTemplate.parse("cpu host}")).hasMessageContaining("unmatched '}'");
        assertThat(Condition.between(6, 12).thresholdText()).isEqualTo("6-12");
        assertThat(Condition.of(Condition.Operator.AT_MOST, 7.5).toString()).isEqualTo("at-most 7.5");
    }
}
