package io.tocsin.collector.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.micronaut.context.ApplicationContext;
import io.tocsin.schema.AlarmKeys;
import io.tocsin.schema.HostMetric;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.wire.Codecs;
import io.tocsin.testing.Eventually;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.TopicReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The probes in the collector service, on a real broker, against real local servers. */
@ExtendWith(KafkaBrokerExtension.class)
class ProbeSchedulerTest {

    static Map<String, Object> settings(String prefix) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("tocsin.kafka.bootstrap-servers", KafkaBrokerExtension.broker().bootstrapServers());
        settings.put("tocsin.kafka.topic-prefix", prefix);
        settings.put("tocsin.kafka.partitions", 1);
        settings.put("tocsin.collector.host.enabled", false);
        settings.put("tocsin.collector.hostname", "probe-host");
        settings.put("tocsin.collector.cluster", "lab");
        return settings;
    }

    static List<HostMetric> samples(String prefix) {
        return TopicReader.readAll(KafkaBrokerExtension.broker().bootstrapServers(), prefix + "raw.metrics", Duration.ofSeconds(5))
                .stream().map(r -> Codecs.HOST_METRIC.decode(r.value())).toList();
    }

    static List<RawAlarm> alarms(String prefix) {
        return TopicReader.readAll(KafkaBrokerExtension.broker().bootstrapServers(), prefix + "raw.alarms", Duration.ofSeconds(5))
                .stream().map(r -> Codecs.RAW_ALARM.decode(r.value())).toList();
    }

    static List<HostMetric> of(List<HostMetric> samples, String host, String metric) {
        return samples.stream().filter(s -> s.getHost().equals(host) && s.getMetric().equals(metric)).toList();
    }

    @Test
    void eachCheckPublishesItsSampleAboutTheTarget() throws Exception {
        String prefix = "probes" + System.nanoTime() + ".";
        try (FakeSshServer ssh = new FakeSshServer(Duration.ofMillis(300), false);
             TestTlsServer tls = new TestTlsServer(10)) {
            Map<String, Object> settings = settings(prefix);
            settings.put("tocsin.collector.probes.local.host", "127.0.0.1");
            settings.put("tocsin.collector.probes.local.ssh-port", ssh.port());
            settings.put("tocsin.collector.probes.local.tls-endpoints", List.of("localhost:" + tls.port()));
            settings.put("tocsin.collector.probes.local.interval", "1s");
            settings.put("tocsin.collector.probes.local.cluster", "edge");
            settings.put("tocsin.collector.probes.gone.host", ProbeChecksTest.UNROUTABLE_V4);
            settings.put("tocsin.collector.probes.gone.timeout", "500ms");
            settings.put("tocsin.collector.probes.gone.interval", "1s");
            try (ApplicationContext context = ApplicationContext.run(settings)) {
                Eventually.within(Duration.ofSeconds(20), () -> {
                    List<HostMetric> samples = samples(prefix);
                    assertThat(of(samples, "127.0.0.1", "host.ping.ok")).hasSizeGreaterThanOrEqualTo(2);
                    assertThat(of(samples, "127.0.0.1", "host.ssh.connect.seconds")).isNotEmpty();
                    assertThat(of(samples, "127.0.0.1", "tls.cert.days.left")).isNotEmpty();
                    assertThat(of(samples, "240.0.0.1", "host.ping.ok")).hasSizeGreaterThanOrEqualTo(2);
                });
                List<HostMetric> samples = samples(prefix);
                assertThat(of(samples, "127.0.0.1", "host.ping.ok")).allSatisfy(s -> {
                    assertThat(s.getValue()).isEqualTo(1.0);
                    assertThat(s.getInstance()).isEqualTo("127.0.0.1");
                    assertThat(s.getCluster()).as("the target's cluster").isEqualTo("edge");
                    assertThat(s.getLabels()).containsEntry("collector", "probe-host");
                });
                assertThat(of(samples, "127.0.0.1", "host.ssh.connect.seconds")).allSatisfy(s -> {
                    assertThat(s.getValue()).as("the server waits 300 ms before its banner").isBetween(0.3, 3.0);
                    assertThat(s.getInstance()).isEqualTo("127.0.0.1");
                });
                assertThat(of(samples, "127.0.0.1", "tls.cert.days.left")).allSatisfy(s -> {
                    assertThat(s.getValue()).isCloseTo(10.0, within(0.01));
                    assertThat(s.getInstance()).as("the endpoint").isEqualTo("localhost:" + tls.port());
                });
                assertThat(of(samples, "240.0.0.1", "host.ping.ok")).allSatisfy(s -> {
                    assertThat(s.getValue()).isEqualTo(0.0);
                    assertThat(s.getCluster()).as("the collector's cluster").isEqualTo("lab");
                });
                assertThat(of(samples, "240.0.0.1", "host.ssh.connect.seconds")).as("no SSH check configured").isEmpty();
                assertThat(alarms(prefix)).as("no SSH failure; the first success clears what a previous run may have raised, once")
                        .singleElement().satisfies(clear -> {
                            assertThat(clear.getState()).isEqualTo(RawAlarmState.CLEARED);
                            assertThat(clear.getHostname()).isEqualTo("127.0.0.1");
                        });
            }
        }
    }

    @Test
    void aSilentSshServerGivesNoSampleButHostSshFailedClearedWhenItAnswersAgain() throws Exception {
        String prefix = "probessh" + System.nanoTime() + ".";
        try (FakeSshServer ssh = new FakeSshServer(Duration.ZERO, true)) {
            Map<String, Object> settings = settings(prefix);
            settings.put("tocsin.collector.probes.db1.host", "localhost");
            settings.put("tocsin.collector.probes.db1.ping", false);
            settings.put("tocsin.collector.probes.db1.ssh-port", ssh.port());
            settings.put("tocsin.collector.probes.db1.ssh-timeout", "500ms");
            settings.put("tocsin.collector.probes.db1.interval", "300ms");
            try (ApplicationContext context = ApplicationContext.run(settings)) {
                String key = AlarmKeys.of("collector-probe-host", AlarmKeys.stableId("HostSshFailed", "localhost", "localhost:" + ssh.port()));
                Eventually.within(Duration.ofSeconds(15), () -> assertThat(ssh.connections()).isGreaterThanOrEqualTo(3));
                List<RawAlarm> raised = alarms(prefix);
                assertThat(raised).as("raised once, not at every failing cycle").hasSize(1);
                RawAlarm alarm = raised.getFirst();
                assertThat(AlarmKeys.of(alarm)).isEqualTo(key);
                assertThat(alarm.getState()).isEqualTo(RawAlarmState.RAISED);
                assertThat(alarm.getType()).isEqualTo("HostSshFailed");
                assertThat(alarm.getHostname()).isEqualTo("localhost");
                assertThat(alarm.getCluster()).isEqualTo("lab");
                assertThat(alarm.getTitle()).isEqualTo("SSH to localhost:" + ssh.port() + " failed");
                assertThat(alarm.getMessage()).contains("no SSH banner within");
                assertThat(samples(prefix)).as("a failed SSH check publishes no sample").isEmpty();

                ssh.silent = false;
                Eventually.within(Duration.ofSeconds(15), () -> assertThat(alarms(prefix)).extracting(RawAlarm::getState)
                        .containsExactly(RawAlarmState.RAISED, RawAlarmState.CLEARED));
                assertThat(AlarmKeys.of(alarms(prefix).get(1))).as("the clear finds its raise").isEqualTo(key);
                Eventually.within(Duration.ofSeconds(15), () -> assertThat(of(samples(prefix), "localhost", "host.ssh.connect.seconds"))
                        .isNotEmpty().allSatisfy(s -> assertThat(s.getValue()).isBetween(0.0, 0.5)));
                assertThat(of(samples(prefix), "localhost", "host.ping.ok")).as("ping off").isEmpty();
            }
        }
    }

    @Test
    void invalidTargetsFailTheStartNamingTheKey() {
        Map<String, Object> settings = settings("probesbad.");
        settings.put("tocsin.collector.probes.db1.ssh-port", 70000);
        settings.put("tocsin.collector.probes.db1.tls-endpoints", List.of("db1.example.com"));
        settings.put("tocsin.collector.probes.db2.ping", false);
        assertThatThrownBy(() -> ApplicationContext.run(settings).close())
                .hasStackTraceContaining("tocsin.collector.probes.db1.ssh-port must be a port from 1 to 65535")
                .hasStackTraceContaining("tocsin.collector.probes.db1.tls-endpoints[0] must be host:port")
                .hasStackTraceContaining("tocsin.collector.probes.db2 has nothing to probe");
    }
}
