package io.tocsin.collector.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.tocsin.schema.AlarmKeys;
import io.tocsin.schema.HostMetric;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.Severity;
import io.tocsin.schema.wire.Codecs;
import io.tocsin.testing.Eventually;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.TopicReader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process monitor in the running collector, on a real broker, with real processes started and killed: restart
 * after a kill, ProcFailedRestart raised after the configured attempts and cleared when the process is back,
 * process.cpu.usage samples, and a start refused for an invalid list.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ProcessMonitorTest {

    static final String HOST = "proc-test-host";
    static final String CLUSTER = "proc-cluster";
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    /** Carried by the command line of every process this test starts, so that cleanup finds them all. */
    final String marker = "tocsin-watched-" + UUID.randomUUID();
    /** The daemon's process_name; the busy process's name is not a substring of it, nor the other way round. */
    final String daemon = marker + "-daemon";
    final String prefix = "proc" + System.nanoTime() + ".";
    EmbeddedServer server;

    @BeforeEach
    void scripts() throws IOException, URISyntaxException {
        for (String script : List.of("start.sh", "daemon.sh", "busy.sh", "start-busy.sh", "restart-fail.sh")) {
            Files.copy(Path.of(getClass().getResource("/process/" + script).toURI()), dir.resolve(script));
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        // Whatever the monitor or the test started: every process whose command line carries this test's marker.
        ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(marker)).forEach(ProcessHandle::destroyForcibly);
    }

    void start(String processList, int restartRetries) throws IOException {
        Path list = dir.resolve("process_list.yaml");
        Files.writeString(list, processList);
        Map<String, Object> properties = new HashMap<>(Map.of(
                "micronaut.server.port", -1,
                "tocsin.kafka.bootstrap-servers", KafkaBrokerExtension.broker().bootstrapServers(),
                "tocsin.kafka.topic-prefix", prefix,
                "tocsin.kafka.partitions", 1,
                "tocsin.collector.host.enabled", false,
                "tocsin.collector.hostname", HOST,
                "tocsin.collector.cluster", CLUSTER,
                "tocsin.collector.processes.enabled", true,
                "tocsin.collector.processes.list-file", list.toString()));
        properties.putAll(Map.of(
                "tocsin.collector.processes.check-interval", "200ms",
                "tocsin.collector.processes.restart-interval", "200ms",
                "tocsin.collector.processes.restart-retries", restartRetries,
                "tocsin.collector.processes.command-timeout", "10s"));
        server = ApplicationContext.run(EmbeddedServer.class, properties);
    }

    /** A list entry for the daemon of this test, started and restarted with {@code restart}. */
    String entry(String restart) {
        return """
                - process_name: %s
                  start_command: /bin/sh '%s/start.sh' '%s' %s
                  pre_start_command:
                  post_start_command:
                  restart_command: %s
                  pre_restart_command: /bin/true
                  post_restart_command:
                  run_as_root: False
                """.formatted(daemon, dir, dir, daemon, restart);
    }

    long daemonPid() throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("daemon.pid")).strip());
    }

    List<RawAlarm> alarms() {
        String key = AlarmKeys.of("collector-" + HOST, AlarmKeys.stableId("ProcFailedRestart", HOST, daemon));
        return TopicReader.readAll(KafkaBrokerExtension.broker().bootstrapServers(), prefix + "raw.alarms", Duration.ofSeconds(10)).stream()
                .map(r -> Codecs.RAW_ALARM.decode(r.value())).filter(a -> AlarmKeys.of(a).equals(key)).toList();
    }

    List<String> lines(String file) throws IOException {
        Path path = dir.resolve(file);
        return Files.exists(path) ? Files.readAllLines(path) : List.of();
    }

    double counter(String name, String process) {
        MeterRegistry meters = server.getApplicationContext().getBean(MeterRegistry.class);
        return meters.get(name).tag("process", process).counter().count();
    }

    @Test
    void aKilledProcessIsRestartedByItsRestartCommand() throws Exception {
        start(entry("/bin/sh '" + dir + "/start.sh' '" + dir + "' " + daemon), 3);

        // Not running at the start: the monitor starts it with start_command.
        Eventually.within(WAIT, () -> assertThat(dir.resolve("daemon.pid")).exists());
        long first = daemonPid();
        Eventually.within(WAIT, () -> assertThat(ProcessHandle.of(first).map(ProcessTableTest::running)).hasValue(true));
        assertThat(lines("starts.log")).hasSize(1);

        ProcessHandle.of(first).orElseThrow().destroyForcibly();

        AtomicLong second = new AtomicLong();
        Eventually.within(WAIT, () -> {
            long pid = assertPidFile();
            assertThat(pid).isNotEqualTo(first);
            assertThat(ProcessHandle.of(pid).map(ProcessTableTest::running)).hasValue(true);
            second.set(pid);
        });
        assertThat(ProcessHandle.of(second.get()).orElseThrow().info().commandLine().orElseThrow()).contains(daemon);
        assertThat(lines("starts.log")).as("one start, one restart").hasSize(2);
        assertThat(counter("tocsin.collector.process.restarts.attempted", daemon)).isEqualTo(1.0);
        assertThat(counter("tocsin.collector.process.restarts.failed", daemon)).isZero();
        Eventually.within(WAIT, () -> assertThat(alarms()).as("a restart that worked raises nothing").isEmpty());
    }

    private long assertPidFile() {
        try {
            return daemonPid();
        } catch (IOException | NumberFormatException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void failedRestartsRaiseProcFailedRestartAfterTheRetriesAndItClearsWhenTheProcessRunsAgain() throws Exception {
        start(entry("/bin/sh '" + dir + "/restart-fail.sh' '" + dir + "'"), 2);
        Eventually.within(WAIT, () -> assertThat(dir.resolve("daemon.pid")).exists());
        long first = daemonPid();
        Eventually.within(WAIT, () -> assertThat(ProcessHandle.of(first).map(ProcessTableTest::running)).hasValue(true));

        ProcessHandle.of(first).orElseThrow().destroyForcibly();

        Eventually.within(WAIT, () -> assertThat(alarms()).isNotEmpty());
        RawAlarm raised = alarms().getFirst();
        assertThat(raised.getState()).isEqualTo(RawAlarmState.RAISED);
        assertThat(raised.getType()).isEqualTo("ProcFailedRestart");
        assertThat(raised.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(raised.getComponent()).isEqualTo("Node");
        assertThat(raised.getHostname()).isEqualTo(HOST);
        assertThat(raised.getCluster()).isEqualTo(CLUSTER);
        assertThat(raised.getTitle()).isEqualTo("Process " + daemon + " on " + HOST + " could not be restarted");
        assertThat(raised.getMessage()).contains("3 restart attempt(s)", "restart_command ended with exit status 3");
        assertThat(raised.getLabels()).containsEntry("process", daemon).containsEntry("restartAttempts", "3");
        // One attempt and two retries (restart-retries = 2), each ran pre_restart_command and restart_command.
        assertThat(lines("attempts.log")).hasSize(3);

        // Still down: raised again at each check, but no more restarts.
        Eventually.within(WAIT, () -> assertThat(alarms()).hasSizeGreaterThanOrEqualTo(3)
                .allMatch(a -> a.getState() == RawAlarmState.RAISED));
        assertThat(lines("attempts.log")).hasSize(3);
        assertThat(counter("tocsin.collector.process.restarts.attempted", daemon)).isEqualTo(3.0);
        assertThat(counter("tocsin.collector.process.restarts.failed", daemon)).isEqualTo(3.0);
        MeterRegistry meters = server.getApplicationContext().getBean(MeterRegistry.class);
        assertThat(meters.get("tocsin.collector.process.down").gauge().value()).isEqualTo(1.0);

        // The operator starts it by hand: the next check clears the alarm and resets the budget.
        Process manual = new ProcessBuilder("/bin/sh", dir.resolve("start.sh").toString(), dir.toString(), daemon).start();
        assertThat(manual.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Eventually.within(WAIT, () -> assertThat(alarms().getLast().getState()).isEqualTo(RawAlarmState.CLEARED));
        RawAlarm cleared = alarms().getLast();
        assertThat(cleared.getHostname()).isEqualTo(HOST);
        assertThat(cleared.getType()).isEqualTo("ProcFailedRestart");
        Eventually.within(WAIT, () -> assertThat(meters.get("tocsin.collector.process.down").gauge().value()).isZero());
        int records = alarms().size();
        Thread.sleep(1_000);
        assertThat(alarms()).as("cleared once, nothing more while it runs").hasSize(records);

        // Down again: a fresh budget of three attempts, then raised again.
        ProcessHandle.of(daemonPid()).orElseThrow().destroyForcibly();
        Eventually.within(WAIT, () -> assertThat(alarms().getLast().getState()).isEqualTo(RawAlarmState.RAISED));
        assertThat(lines("attempts.log")).hasSize(6);
    }

    @Test
    void cpuUsageOfEachWatchedProcessIsPublishedInPercentOfOneCore() throws Exception {
        String busy = marker + "-busy";
        start(entry("/bin/true") + """
                - process_name: %s
                  start_command: /bin/sh %s/start-busy.sh %s %s
                  restart_command: /bin/sh %s/start-busy.sh %s %s
                """.formatted(busy, dir, dir, busy, dir, dir, busy), 1);

        Eventually.within(WAIT, () -> {
            Map<String, HostMetric> latest = new HashMap<>();
            TopicReader.readAll(KafkaBrokerExtension.broker().bootstrapServers(), prefix + "raw.metrics", Duration.ofSeconds(10)).stream()
                    .map(r -> Codecs.HOST_METRIC.decode(r.value()))
                    .filter(m -> m.getMetric().equals("process.cpu.usage"))
                    .forEach(m -> latest.put(m.getInstance(), m));
            assertThat(latest).containsKeys(daemon, busy);
            assertThat(latest.get(busy).getHost()).isEqualTo(HOST);
            assertThat(latest.get(busy).getCluster()).isEqualTo(CLUSTER);
            assertThat(latest.get(busy).getTimestamp()).isNotNull();
            // A shell spinning in a loop keeps about one core busy (less when the test machine is loaded) and, being
            // single-threaded, never much more than one.
            assertThat(latest.get(busy).getValue()).isGreaterThan(15.0).isLessThan(130.0);
            // A shell that sleeps uses next to nothing (its sleep children's time is not its own).
            assertThat(latest.get(daemon).getValue()).isGreaterThanOrEqualTo(0.0).isLessThan(5.0);
        });
        MeterRegistry meters = server.getApplicationContext().getBean(MeterRegistry.class);
        assertThat(meters.get("tocsin.collector.process.checks").counter().count()).isGreaterThan(1.0);
        assertThat(meters.get("tocsin.collector.process.down").gauge().value()).isZero();
    }

    @Test
    void anInvalidListStopsTheStartNamingTheFileTheEntryAndTheField() throws Exception {
        Throwable error = catchThrowable(() -> start(entry("/bin/true") + """
                - process_name: second
                  start_command: /bin/true
                  restart_command: "/bin/sh -c 'unterminated"
                """, 1));
        Throwable cause = error;
        while (cause != null && !(cause instanceof ProcessListException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("caused by the invalid list: %s", error).isInstanceOf(ProcessListException.class)
                .hasMessage("Invalid process list " + dir.resolve("process_list.yaml")
                        + ": [1].restart_command: has an unterminated single quote at character 12");
        assertThat(server).isNull();
        assertThat(lines("starts.log")).as("nothing was started").isEmpty();
    }
}
