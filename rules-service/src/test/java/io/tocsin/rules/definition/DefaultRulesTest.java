package io.tocsin.rules.definition;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.rules.catalogue.SeedCatalogue;
import io.tocsin.rules.catalogue.AlarmType;
import io.tocsin.schema.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DefaultRulesTest {

    RuleSet rules = RulesLoader.defaults();

    @Test
    void shippedRulesCoverExactlyTheCatalogueTypesWithItsAreasAndCategories() {
        Map<String, AlarmType> catalogue = SeedCatalogue.TYPES;
        // The seed's 38 types, plus the two heartbeat alarms Tocsin raises itself.
        List<String> tocsinOwn = List.of("HostHeartbeatLost", "SourceHeartbeatLost");
        assertThat(rules.types()).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(catalogue.keySet().stream(), tocsinOwn.stream()).toList());
        assertThat(rules.size()).isEqualTo(40);
        for (String own : tocsinOwn) {
            assertThat(rules.rule(own).orElseThrow().severity()).isEqualTo(io.tocsin.schema.Severity.CRITICAL);
        }
        for (Rule rule : rules.rules()) {
            if (tocsinOwn.contains(rule.type())) {
                continue;
            }
            AlarmType known = catalogue.get(rule.type());
            assertThat(rule.component()).as(rule.type()).isEqualTo(known.component());
            assertThat(rule.categories()).as(rule.type()).containsExactlyElementsOf(known.categories());
            if (rule.kind() == RuleKind.EVENT) {
                assertThat(rule.severity()).as(rule.type()).isEqualTo(known.defaultSeverity());
            }
        }
    }

    @Test
    void metricRulesReadTheMetricsOfDesignSection4() {
        Map<String, String> expected = Map.of("HostCpuUsage", "host.cpu.usage", "HostRamUsage", "host.ram.usage", "HostDiskUsage", "host.disk.usage",
                "HostSwapping", "host.swap.usage", "HostSwapV2", "host.swap.pages", "ProcessCpuUsage", "process.cpu.usage",
                "HostUnreachable", "host.ping.ok", "HostFirewall", "host.ping.ok", "HostSshSlow", "host.ssh.connect.seconds",
                "CertificateExpiration", "tls.cert.days.left");
        expected.forEach((type, metric) -> assertThat(rules.rule(type).orElseThrow().metric()).as(type).isEqualTo(metric));
        assertThat(rules.rule("MySqlReplicationLag").orElseThrow().metric()).isEqualTo("db.replication.lag.seconds");
        assertThat(rules.rules().stream().filter(r -> r.kind() == RuleKind.METRIC).count()).isEqualTo(11);
    }

    @Test
    void hostThresholdsAreEightyAndNinetyPercent() {
        for (String type : Set.of("HostCpuUsage", "HostRamUsage", "HostDiskUsage")) {
            Rule rule = rules.rule(type).orElseThrow();
            assertThat(rule.warning()).as(type).isEqualTo(Condition.of(Condition.Operator.ABOVE, 80));
            assertThat(rule.critical()).as(type).isEqualTo(Condition.of(Condition.Operator.ABOVE, 90));
            assertThat(rule.aggregate()).isEqualTo(Aggregate.LAST);
        }
        Rule cpu = rules.rule("HostCpuUsage").orElseThrow();
        Thresholds t = cpu.effective(null, null);
        assertThat(cpu.severityFor(t, 80)).isNull();
        assertThat(cpu.severityFor(t, 85)).isEqualTo(Severity.WARNING);
        assertThat(cpu.severityFor(t, 90.5)).isEqualTo(Severity.CRITICAL);
        assertThat(cpu.clears(t, 79.9)).isTrue();
        assertThat(cpu.clears(t, 80.1)).isFalse();
    }

    @Test
    void diskUsageIsEvaluatedPerMountPoint() {
        Rule disk = rules.rule("HostDiskUsage").orElseThrow();
        assertThat(disk.instance()).isEqualTo("*");
        assertThat(disk.selectsInstance("/var/lib/mysql")).isTrue();
        assertThat(disk.selectsInstance("/")).isTrue();
        assertThat(disk.title().render(Map.of("instance", "/data", "host", "db1", "value", "91"))).isEqualTo("Disk /data on db1 is 91 % full");
    }

    @Test
    void swapIsFiveAndTwentyPercentAndSwapPagesTwentyInTenMinutes() {
        Rule swap = rules.rule("HostSwapping").orElseThrow();
        assertThat(swap.warning()).isEqualTo(Condition.of(Condition.Operator.ABOVE, 5));
        assertThat(swap.critical()).isEqualTo(Condition.of(Condition.Operator.ABOVE, 20));
        Rule pages = rules.rule("HostSwapV2").orElseThrow();
        assertThat(pages.aggregate()).isEqualTo(Aggregate.SUM);
        assertThat(pages.window()).isEqualTo(Duration.ofMinutes(10));
        assertThat(pages.warning()).isEqualTo(Condition.of(Condition.Operator.AT_LEAST, 20));
        assertThat(pages.critical()).isEqualTo(Condition.of(Condition.Operator.AT_LEAST, 100));
    }

    @Test
    void certificateExpiryWarnsAtThirtyOneDaysAndIsCriticalAtSeven() {
        Rule cert = rules.rule("CertificateExpiration").orElseThrow();
        Thresholds t = cert.effective("any", "any");
        assertThat(cert.severityFor(t, 32)).isNull();
        assertThat(cert.severityFor(t, 31)).isEqualTo(Severity.WARNING);
        assertThat(cert.severityFor(t, 8)).isEqualTo(Severity.WARNING);
        assertThat(cert.severityFor(t, 7)).isEqualTo(Severity.CRITICAL);
        assertThat(cert.clears(t, 32)).isTrue();
    }

    @Test
    void processCpuIsAveragedOverFifteenMinutes() {
        Rule process = rules.rule("ProcessCpuUsage").orElseThrow();
        assertThat(process.aggregate()).isEqualTo(Aggregate.AVG);
        assertThat(process.window()).isEqualTo(Duration.ofMinutes(15));
        assertThat(process.warning()).isEqualTo(Condition.of(Condition.Operator.ABOVE, 95));
        assertThat(process.critical()).isEqualTo(Condition.of(Condition.Operator.ABOVE, 99));
    }

    @Test
    void sshIsSlowFromSixToTwelveSecondsAndCriticalAboveTwelve() {
        Rule ssh = rules.rule("HostSshSlow").orElseThrow();
        Thresholds t = ssh.effective(null, null);
        assertThat(ssh.warning()).isEqualTo(Condition.between(6, 12));
        assertThat(ssh.critical()).isEqualTo(Condition.of(Condition.Operator.ABOVE, 12));
        assertThat(ssh.severityFor(t, 5.9)).isNull();
        assertThat(ssh.severityFor(t, 6)).isEqualTo(Severity.WARNING);
        assertThat(ssh.severityFor(t, 12)).isEqualTo(Severity.WARNING);
        assertThat(ssh.severityFor(t, 12.1)).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void unreachableAfterThreePingCyclesAndLagTenSecondsAndWsrepEscalatesAfterTwenty() {
        Rule unreachable = rules.rule("HostUnreachable").orElseThrow();
        assertThat(unreachable.consecutive()).isEqualTo(3);
        assertThat(unreachable.critical()).isEqualTo(Condition.of(Condition.Operator.AT_MOST, 0));
        assertThat(unreachable.warning()).isNull();
        assertThat(rules.rule("MySqlReplicationLag").orElseThrow().warning()).isEqualTo(Condition.of(Condition.Operator.ABOVE, 10));
        Rule wsrep = rules.rule("GaleraWsrepMissing").orElseThrow();
        assertThat(wsrep.severity()).isEqualTo(Severity.WARNING);
        assertThat(wsrep.escalate()).isEqualTo(new Escalation(20, null));
        assertThat(rules.forMetric("host.ping.ok")).extracting(Rule::type).containsExactly("HostFirewall", "HostUnreachable");
    }
}
