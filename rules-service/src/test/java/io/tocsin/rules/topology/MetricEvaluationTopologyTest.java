package io.tocsin.rules.topology;

import static io.tocsin.rules.topology.RulesDriver.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.rules.evaluation.RaisedAlarms;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.HostStatus;
import io.tocsin.schema.Severity;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Metric samples through the whole rules topology: thresholds, windows, runs, hysteresis, lateness, heartbeats. */
class MetricEvaluationTopologyTest {

    RulesDriver tocsin = new RulesDriver();

    @AfterEach
    void close() {
        tocsin.close();
    }

    static String statuses(List<AlarmEvent> events) {
        return String.join(",", events.stream().map(e -> e.getStatus() + ":" + e.getSeverity()).toList());
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({
        "HostCpuUsage, host.cpu.usage, ''",
        "HostRamUsage, host.ram.usage, ''",
        "HostDiskUsage, host.disk.usage, /var/lib/mysql",
        "HostSwapping, host.swap.usage, ''",
    })
    void warningThenCriticalThenNothingForRepeatsThenEnded(String type, String metric, String instance) {
        // Swap's levels are 5 % and 20 %; the others 80 % and 90 %.
        boolean swap = type.equals("HostSwapping");
        double warning = swap ? 10 : 85;
        double critical = swap ? 25 : 95;
        double normal = swap ? 1 : 50;
        tocsin.metric(sample("db1", metric, instance, warning, 0));
        tocsin.metric(sample("db1", metric, instance, critical, 10));
        tocsin.metric(sample("db1", metric, instance, critical, 20));
        tocsin.metric(sample("db1", metric, instance, critical, 30));
        tocsin.metric(sample("db1", metric, instance, normal, 40));

        List<AlarmEvent> events = tocsin.events();
        assertThat(statuses(events)).isEqualTo("CREATED:WARNING,UPDATED:CRITICAL,ENDED:CRITICAL");
        AlarmEvent created = events.getFirst();
        assertThat(created.getType()).isEqualTo(type);
        assertThat(created.getSource()).isEqualTo(RaisedAlarms.SOURCE);
        assertThat(created.getAlarmKey()).isEqualTo("tocsin:" + RaisedAlarms.alarmId(type, "db1", instance));
        assertThat(events).extracting(AlarmEvent::getAlarmKey).containsOnly(created.getAlarmKey());
        assertThat(created.getHostname()).isEqualTo("db1");
        assertThat(created.getCluster()).isEqualTo("prod");
        assertThat(created.getComponent()).isEqualTo("Host");
        assertThat(created.getCategories()).containsExactly("Host");
        assertThat(created.getTitle()).contains("db1").contains(RaisedAlarms.number(warning));
        assertThat(created.getEventTime()).isEqualTo(RulesDriver.T0);
        assertThat(events.get(2).getEventTime()).isEqualTo(RulesDriver.T0.plusSeconds(40));
    }

    @Test
    void diskAlarmsArePerMountPointWithStableIds() {
        tocsin.metric(sample("db1", "host.disk.usage", "/", 85, 0));
        tocsin.metric(sample("db1", "host.disk.usage", "/data", 95, 0));
        tocsin.metric(sample("db1", "host.disk.usage", "/", 40, 10));

        List<AlarmEvent> events = tocsin.events();
        assertThat(events).extracting(e -> e.getLabels().get("instance") + " " + e.getStatus() + " " + e.getSeverity())
                .containsExactly("/ CREATED WARNING", "/data CREATED CRITICAL", "/ ENDED WARNING");
        assertThat(events.get(0).getAlarmKey()).isNotEqualTo(events.get(1).getAlarmKey()).isEqualTo(events.get(2).getAlarmKey());
        assertThat(events.get(0).getTitle()).isEqualTo("Disk / on db1 is 85 % full");
    }

    @Test
    void processCpuOpensOnlyOnceTheFifteenMinuteAverageHolds() {
        // 99 % every 30 s: the average is 99 from the first sample, but it only counts over a full 15-minute window.
        for (int s = 0; s < 900; s += 30) {
            tocsin.metric(sample("db1", "process.cpu.usage", "mysqld", 99.5, s));
        }
        assertThat(tocsin.events()).isEmpty();
        tocsin.metric(sample("db1", "process.cpu.usage", "mysqld", 99.5, 900));
        List<AlarmEvent> events = tocsin.events();
        assertThat(statuses(events)).isEqualTo("CREATED:CRITICAL");
        assertThat(events.getFirst().getType()).isEqualTo("ProcessCpuUsage");
        // Drops below 95 % on average only after enough low samples: a short dip changes nothing.
        tocsin.metric(sample("db1", "process.cpu.usage", "mysqld", 10, 930));
        assertThat(statuses(tocsin.events())).isEqualTo("UPDATED:WARNING");
        for (int s = 960; s <= 1200; s += 30) {
            tocsin.metric(sample("db1", "process.cpu.usage", "mysqld", 10, s));
        }
        assertThat(statuses(tocsin.events())).isEqualTo("ENDED:WARNING");
    }

    @Test
    void swapPagesAreSummedOverTenMinutes() {
        // 3 pages a minute: 18 after six samples, 21 after seven (warning at 20 in 10 minutes).
        for (int m = 0; m <= 5; m++) {
            tocsin.metric(sample("db1", "host.swap.pages", "", 3, m * 60L));
        }
        assertThat(tocsin.events()).isEmpty();
        tocsin.metric(sample("db1", "host.swap.pages", "", 3, 6 * 60L));
        assertThat(statuses(tocsin.events())).isEqualTo("CREATED:WARNING");
        tocsin.metric(sample("db1", "host.swap.pages", "", 90, 8 * 60L));
        assertThat(statuses(tocsin.events())).isEqualTo("UPDATED:CRITICAL");
        // No swapping for ten minutes: the sum falls to 0.
        tocsin.metric(sample("db1", "host.swap.pages", "", 0, 19 * 60L));
        assertThat(statuses(tocsin.events())).isEqualTo("ENDED:CRITICAL");
    }

    @Test
    void certificateExpiryWarnsAtThirtyOneDaysAndIsCriticalAtSeven() {
        tocsin.metric(sample("web1", "tls.cert.days.left", "web1:443", 40, 0));
        tocsin.metric(sample("web1", "tls.cert.days.left", "web1:443", 31, 10));
        tocsin.metric(sample("web1", "tls.cert.days.left", "web1:443", 7, 20));
        tocsin.metric(sample("web1", "tls.cert.days.left", "web1:443", 365, 30));
        List<AlarmEvent> events = tocsin.events();
        assertThat(statuses(events)).isEqualTo("CREATED:WARNING,UPDATED:CRITICAL,ENDED:CRITICAL");
        assertThat(events.getFirst().getType()).isEqualTo("CertificateExpiration");
    }

    @Test
    void sshLatencyBetweenSixAndTwelveSecondsWarnsAboveTwelveIsCritical() {
        tocsin.metric(sample("db1", "host.ssh.connect.seconds", "db1:22", 5.9, 0));
        tocsin.metric(sample("db1", "host.ssh.connect.seconds", "db1:22", 6, 10));
        tocsin.metric(sample("db1", "host.ssh.connect.seconds", "db1:22", 12, 20));
        tocsin.metric(sample("db1", "host.ssh.connect.seconds", "db1:22", 12.5, 30));
        tocsin.metric(sample("db1", "host.ssh.connect.seconds", "db1:22", 0.2, 40));
        assertThat(statuses(tocsin.events())).isEqualTo("CREATED:WARNING,UPDATED:CRITICAL,ENDED:CRITICAL");
    }

    @Test
    void pingOpensAfterThreeFailedCyclesAndEndsOnTheFirstAnswer() {
        tocsin.metric(sample("db1", "host.ping.ok", "10.0.0.5", 0, 0));
        tocsin.metric(sample("db1", "host.ping.ok", "10.0.0.5", 0, 10));
        tocsin.metric(sample("db1", "host.ping.ok", "10.0.0.5", 1, 20));
        tocsin.metric(sample("db1", "host.ping.ok", "10.0.0.5", 0, 30));
        tocsin.metric(sample("db1", "host.ping.ok", "10.0.0.5", 0, 40));
        assertThat(tocsin.events()).as("an answer resets the count").isEmpty();
        tocsin.metric(sample("db1", "host.ping.ok", "10.0.0.5", 0, 50));
        List<AlarmEvent> events = tocsin.events();
        assertThat(events).extracting(e -> e.getType() + ":" + e.getStatus() + ":" + e.getSeverity())
                .containsExactlyInAnyOrder("HostFirewall:CREATED:WARNING", "HostUnreachable:CREATED:CRITICAL");
        tocsin.metric(sample("db1", "host.ping.ok", "10.0.0.5", 1, 60));
        assertThat(tocsin.events()).extracting(e -> e.getType() + ":" + e.getStatus())
                .containsExactlyInAnyOrder("HostFirewall:ENDED", "HostUnreachable:ENDED");
    }

    @Test
    void replicationLagAboveTenSecondsWarns() {
        tocsin.metric(sample("db2", "db.replication.lag.seconds", "db2:3306", 10, 0));
        tocsin.metric(sample("db2", "db.replication.lag.seconds", "db2:3306", 10.5, 10));
        tocsin.metric(sample("db2", "db.replication.lag.seconds", "db2:3306", 400, 20));
        tocsin.metric(sample("db2", "db.replication.lag.seconds", "db2:3306", 0, 30));
        List<AlarmEvent> events = tocsin.events();
        assertThat(statuses(events)).as("no critical level: a huge lag is still a warning").isEqualTo("CREATED:WARNING,ENDED:WARNING");
        assertThat(events.getFirst().getType()).isEqualTo("MySqlReplicationLag");
    }

    @Test
    void lateAndOutOfOrderSamplesNeverFlapAnAlarm() {
        tocsin.metric(sample("db1", "host.cpu.usage", "", 95, 100));
        tocsin.metric(sample("db1", "host.cpu.usage", "", 96, 110));
        // An older sample below every threshold arrives late: the alarm does not end, and nothing reopens it.
        tocsin.metric(sample("db1", "host.cpu.usage", "", 20, 105));
        tocsin.metric(sample("db1", "host.cpu.usage", "", 20, 50));
        tocsin.metric(sample("db1", "host.cpu.usage", "", 97, 120));
        assertThat(statuses(tocsin.events())).isEqualTo("CREATED:CRITICAL");
        assertThat(tocsin.lateSamples()).isEqualTo(2);
        // A duplicate of the newest sample counts as nothing either.
        tocsin.metric(sample("db1", "host.cpu.usage", "", 20, 120));
        tocsin.metric(sample("db1", "host.cpu.usage", "", 20, 130));
        assertThat(statuses(tocsin.events())).isEqualTo("ENDED:CRITICAL");
    }

    @Test
    void aHostThatStopsSendingRaisesTheHeartbeatAlarmAndResumingEndsIt() {
        // Defaults: 30 s interval, 3 missed intervals, checked every 5 s of wall clock.
        tocsin.metric(sample("db1", "host.cpu.usage", "", 10, 0));
        tocsin.advanceWallClock(Duration.ofSeconds(85));
        assertThat(tocsin.events()).isEmpty();
        tocsin.advanceWallClock(Duration.ofSeconds(10));
        List<AlarmEvent> lost = tocsin.events();
        assertThat(lost).extracting(e -> e.getType() + ":" + e.getStatus() + ":" + e.getSeverity() + ":" + e.getHostname())
                .containsExactly("HostHeartbeatLost:CREATED:CRITICAL:db1");
        assertThat(lost.getFirst().getTitle()).isEqualTo("db1 stopped sending metrics");
        tocsin.advanceWallClock(Duration.ofMinutes(5));
        assertThat(tocsin.events()).as("raised once").isEmpty();
        HostStatus offline = tocsin.<HostStatus>store(AlarmLifecycleTopology.HOST_STATUS_STORE).get("db1");
        assertThat(offline.getOnline()).isFalse();

        tocsin.metric(sample("db1", "host.cpu.usage", "", 10, 400));
        assertThat(tocsin.events()).extracting(e -> e.getType() + ":" + e.getStatus()).containsExactly("HostHeartbeatLost:ENDED");
        tocsin.advanceWallClock(Duration.ofSeconds(1));
        HostStatus online = tocsin.<HostStatus>store(AlarmLifecycleTopology.HOST_STATUS_STORE).get("db1");
        assertThat(online.getOnline()).isTrue();
        assertThat(online.getLatest()).singleElement().satisfies(v -> {
            assertThat(v.getMetric()).isEqualTo("host.cpu.usage");
            assertThat(v.getValue()).isEqualTo(10.0);
        });
    }

    @Test
    void overridesPerHostChangeTheThresholds() {
        io.tocsin.rules.definition.RuleSet rules = io.tocsin.rules.definition.RulesLoader.defaultsAnd(writeRules("""
                rules:
                  - type: HostCpuUsage
                    kind: metric
                    metric: host.cpu.usage
                    warning: {above: 80}
                    critical: {above: 90}
                    component: Host
                    categories: [Host]
                    overrides:
                      - host: "batch*"
                        warning: {above: 97}
                        critical: {above: 99}
                """));
        try (RulesDriver custom = new RulesDriver(rules, TopologySettings.defaults())) {
            custom.metric("db1", "host.cpu.usage", 95, 0);
            custom.metric("batch7", "host.cpu.usage", 95, 0);
            custom.metric("batch7", "host.cpu.usage", 98, 10);
            assertThat(custom.events()).extracting(e -> e.getHostname() + ":" + e.getSeverity())
                    .containsExactly("db1:CRITICAL", "batch7:WARNING");
        }
    }

    static java.nio.file.Path writeRules(String yaml) {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("rules");
            java.nio.file.Files.writeString(dir.resolve("custom.yaml"), yaml);
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Severity severity(AlarmEvent event) {
        return event.getSeverity();
    }
}
