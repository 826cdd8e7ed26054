package io.tocsin.collector.ingest.pacemaker;

import static io.tocsin.collector.ingest.pacemaker.PacemakerFixture.recorded;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.testing.KafkaBrokerExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped agent {@code contrib/pacemaker/alert_tocsin.sh}, run as Pacemaker runs it: {@code sh} with nothing
 * but the alert's environment, against the real collector on the real broker.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AlertAgentScriptTest {

    static final Path SCRIPT = locateScript();
    static PacemakerFixture collector;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() {
        collector = new PacemakerFixture(Map.of());
    }

    @AfterAll
    static void stop() {
        collector.close();
    }

    record Run(int exitCode, String stdout, String stderr) {
    }

    static Path locateScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("contrib/pacemaker/alert_tocsin.sh");
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        throw new AssertionError("contrib/pacemaker/alert_tocsin.sh not found above " + Path.of("").toAbsolutePath());
    }

    /** Runs the agent with exactly {@code environment} (and PATH), as Pacemaker's executor does. */
    static Run run(Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", SCRIPT.toString());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the agent did not finish within 60 s");
        }
        return new Run(process.exitValue(), stdout.get(), stderr.get());
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> agentEnvironment(String recorded, String query, Map<String, String> changes) {
        Map<String, String> environment = new HashMap<>(recorded(recorded));
        environment.put("CRM_alert_recipient", collector.endpoint(query));
        environment.put("tocsin_token", PacemakerFixture.TOKEN);
        environment.putAll(changes);
        return environment;
    }

    @Test
    void everyValueArrivesVerbatimAndNothingIsInterpretedByAShell() throws Exception {
        Path victim = Files.createDirectory(temp.resolve("nothing"));
        Path marker = temp.resolve("marker");
        String hostile = "x\"; rm -rf " + victim + "; $(id) $(touch " + marker + ") `touch " + marker + "` ${HOME} 'q' \\ \\\\n"
                + "\nsecond line\twith tab %41 & = +";
        Run run = run(agentEnvironment("fencing-failed", "source=script-a&cluster=ha-script", Map.of("CRM_alert_desc", hostile)));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).isEmpty();
        assertThat(victim).as("rm -rf was not run").isDirectory();
        assertThat(marker).as("no command substitution ran").doesNotExist();
        RawAlarm alarm = collector.alarms("script-a").getFirst();
        assertThat(alarm.getMessage()).isEqualTo(hostile + " (rc -62)");
        assertThat(alarm.getAlarmId()).isEqualTo("fencing/node2");
        assertThat(alarm.getCluster()).isEqualTo("ha-script");
        assertThat(alarm.getTitle()).isEqualTo("Fencing of node2 failed");
    }

    @Test
    void theAgentNamesItsNodeSoALateAlertIsDropped() throws Exception {
        double stale = collector.counter("tocsin.collector.pacemaker.alerts", "kind", "resource", "outcome", "stale");
        Run recovered = run(agentEnvironment("resource-monitor-recovered", "source=script-b", Map.of()));
        Run late = run(agentEnvironment("resource-monitor-failed", "source=script-b", Map.of()));

        assertThat(recovered.exitCode()).as(recovered.stderr()).isZero();
        assertThat(late.exitCode()).as("a dropped alert is not a failure: " + late.stderr()).isZero();
        assertThat(collector.alarms("script-b")).extracting(RawAlarm::getState).containsExactly(RawAlarmState.CLEARED);
        assertThat(collector.counter("tocsin.collector.pacemaker.alerts", "kind", "resource", "outcome", "stale")).isEqualTo(stale + 1);
    }

    @Test
    void theTokenMayComeFromAFileAndSourceAndClusterFromInstanceAttributes() throws Exception {
        Path tokenFile = temp.resolve("token");
        Files.writeString(tokenFile, PacemakerFixture.TOKEN + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        Map<String, String> environment = agentEnvironment("node-lost", "", Map.of("tocsin_token_file", tokenFile.toString(),
                "tocsin_source", "script-c", "tocsin_cluster", "ha-c"));
        environment.remove("tocsin_token");

        Run run = run(environment);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(collector.alarms("script-c")).singleElement().satisfies(alarm -> {
            assertThat(alarm.getAlarmId()).isEqualTo("node/node2");
            assertThat(alarm.getCluster()).isEqualTo("ha-c");
        });
    }

    @Test
    void aWrongTokenFailsWithAMessageThatDoesNotShowTheToken() throws Exception {
        String token = "wrong-token-7f3a9c1e";
        Run run = run(agentEnvironment("node-lost", "source=script-d", Map.of("tocsin_token", token)));

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stderr()).contains("alert_tocsin.sh:", "HTTP 401", "node alert").doesNotContain(token);
        assertThat(run.stdout()).doesNotContain(token);
        assertThat(collector.alarms("script-d")).isEmpty();
    }

    @Test
    void anUnreachableOrSilentCollectorFailsWithinTheTimeout() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Run refused = run(agentEnvironment("node-lost", "", Map.of("CRM_alert_recipient", "http://127.0.0.1:" + closedPort + "/api/v1/ingest/pacemaker",
                "tocsin_retries", "0")));
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("could not deliver the node alert");

        try (ServerSocket silent = new ServerSocket(0)) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return silent.accept();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            long start = System.nanoTime();
            Run slow = run(agentEnvironment("node-lost", "", Map.of("CRM_alert_recipient", "http://127.0.0.1:" + silent.getLocalPort() + "/x",
                    "tocsin_timeout", "1", "tocsin_retries", "0")));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(slow.exitCode()).isNotZero();
            assertThat(slow.stderr()).contains("could not deliver", "curl exit status 28");
            assertThat(took).isLessThan(Duration.ofSeconds(10));
            accepted.get(5, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void configurationMistakesAreReported() throws Exception {
        Map<String, String> noRecipient = agentEnvironment("node-lost", "", Map.of());
        noRecipient.remove("CRM_alert_recipient");
        Run withoutRecipient = run(noRecipient);
        assertThat(withoutRecipient.exitCode()).as("seed 004: an agent may run before a recipient is configured").isZero();
        assertThat(withoutRecipient.stderr()).contains("no recipient configured");

        Run fileUrl = run(agentEnvironment("node-lost", "", Map.of("CRM_alert_recipient", "file:///etc/passwd")));
        assertThat(fileUrl.exitCode()).isNotZero();
        assertThat(fileUrl.stderr()).contains("http:// or https:// URL");

        Map<String, String> noToken = agentEnvironment("node-lost", "", Map.of());
        noToken.remove("tocsin_token");
        Run withoutToken = run(noToken);
        assertThat(withoutToken.exitCode()).isNotZero();
        assertThat(withoutToken.stderr()).contains("tocsin_token");

        Run badTimeout = run(agentEnvironment("node-lost", "", Map.of("tocsin_timeout", "$(id)")));
        assertThat(badTimeout.exitCode()).isNotZero();
        assertThat(badTimeout.stderr()).contains("tocsin_timeout must be a whole number");

        Run missingTokenFile = run(agentEnvironment("node-lost", "", Map.of("tocsin_token", "", "tocsin_token_file", temp.resolve("absent").toString())));
        assertThat(missingTokenFile.exitCode()).isNotZero();
        assertThat(missingTokenFile.stderr()).contains("cannot read the token file");
    }
}
