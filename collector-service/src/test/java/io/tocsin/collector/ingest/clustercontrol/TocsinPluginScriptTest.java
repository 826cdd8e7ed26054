package io.tocsin.collector.ingest.clustercontrol;

import io.tocsin.collector.ingest.RunningCollector;
import static io.tocsin.collector.ingest.RunningCollector.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.collector.ingest.RunningCollector.KeyedAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.Severity;
import io.tocsin.testing.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped contrib/clustercontrol/tocsin-plugin, executed as cmon executes it: a real process with the alarm
 * JSON of seed 001 on standard input, posting to the real collector on the real broker.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TocsinPluginScriptTest {

    static final Path SCRIPT = Path.of("..", "contrib", "clustercontrol", "tocsin-plugin").toAbsolutePath().normalize();
    static RunningCollector collector;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        assertThat(SCRIPT).as("the shipped plugin").isRegularFile();
        assertThat(Files.isExecutable(SCRIPT)).as("cmon runs only executable plugins (seed 001)").isTrue();
        collector = RunningCollector.start("ccplugin");
    }

    @AfterAll
    static void stop() {
        collector.close();
    }

    /** What a run of the script did. */
    record Run(int exit, String stdout, String stderr) {
    }

    Run run(Path script, Map<String, String> environment, String stdin) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("sh", script.toString());
        builder.environment().keySet().removeIf(name -> name.startsWith("TOCSIN_"));
        builder.environment().putAll(environment);
        Path out = dir.resolve("stdout-" + System.nanoTime());
        Path err = dir.resolve("stderr-" + System.nanoTime());
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the plugin finishes").isTrue();
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void theSeedsAlarmEventReachesKafkaAndItsRemoveClearsIt() throws Exception {
        Map<String, String> env = Map.of("TOCSIN_URL", collector.baseUrl(), "TOCSIN_TOKEN", RunningCollector.INGEST_TOKEN,
                "TOCSIN_CONTROLLER", "cc-script");
        Run raised = run(SCRIPT, env, resource("clustercontrol/plugin-new.json"));
        assertThat(raised.exit()).as(raised.stderr()).isZero();
        assertThat(raised.stderr()).isEmpty();
        Run removed = run(SCRIPT, env, resource("clustercontrol/plugin-remove.json"));
        assertThat(removed.exit()).as(removed.stderr()).isZero();

        List<KeyedAlarm> records = collector.rawAlarmsOf("cc-script");
        assertThat(records).extracting(KeyedAlarm::key).containsOnly("cc-script:1-10736685724696984427").hasSize(2);
        assertThat(records).extracting(r -> r.alarm().getState()).containsExactly(RawAlarmState.RAISED, RawAlarmState.CLEARED);
        assertThat(records.get(0).alarm().getType()).isEqualTo("MySqlDisconnected");
        assertThat(records.get(0).alarm().getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(records.get(0).alarm().getMessage()).isEqualTo("Server reports: MySQL server disconnected.");
    }

    @Test
    void settingsComeFromTheFileNextToTheScriptAndTheTokenNeverFromArgv() throws Exception {
        Path installed = install();
        Files.writeString(installed.resolveSibling("tocsin-plugin.conf"), """
                # written as an operator would
                TOCSIN_URL=%s/
                TOCSIN_TOKEN=%s
                TOCSIN_TIMEOUT=20
                """.formatted(collector.baseUrl(), RunningCollector.INGEST_TOKEN));
        // A curl first on PATH that records its arguments, then runs the real curl: the token must not be among them.
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path argv = dir.resolve("curl-argv");
        Path spy = bin.resolve("curl");
        Files.writeString(spy, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + argv + "'\nexec " + realCurl() + " \"$@\"\n");
        Files.setPosixFilePermissions(spy, PosixFilePermissions.fromString("rwx------"));
        String event = resource("clustercontrol/plugin-new.json").replace("\"cmon_hostname\": \"\"", "\"cmon_hostname\": \"cc-conf.example.com\"");

        Run run = run(installed, Map.of("PATH", bin + ":" + System.getenv("PATH")), event);

        assertThat(run.exit()).as(run.stderr()).isZero();
        List<String> curlArguments = Files.readAllLines(argv);
        assertThat(curlArguments).contains("--max-time", "20", collector.baseUrl() + "/api/v1/ingest/clustercontrol");
        assertThat(String.join(" ", curlArguments)).doesNotContain(RunningCollector.INGEST_TOKEN);
        assertThat(collector.rawAlarmsOf("cc-conf.example.com")).extracting(KeyedAlarm::key)
                .containsExactly("cc-conf.example.com:1-10736685724696984427");
    }

    @Test
    void aWrongTokenFailsWithAMessageThatDoesNotShowTheToken() throws Exception {
        String wrong = "not-the-token-5d1e";
        Run run = run(SCRIPT, Map.of("TOCSIN_URL", collector.baseUrl(), "TOCSIN_TOKEN", wrong, "TOCSIN_CONTROLLER", "cc-wrong"),
                resource("clustercontrol/plugin-new.json"));
        assertThat(run.exit()).isNotZero();
        assertThat(run.stderr()).startsWith("tocsin-plugin: ").contains("HTTP 401").doesNotContain(wrong);
        assertThat(collector.rawAlarmsOf("cc-wrong")).isEmpty();
    }

    @Test
    void aRefusedEventOrAMissingSettingFailsWithAMessage() throws Exception {
        Run refused = run(SCRIPT, Map.of("TOCSIN_URL", collector.baseUrl(), "TOCSIN_TOKEN", RunningCollector.INGEST_TOKEN),
                resource("clustercontrol/plugin-new.json"));
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.stderr()).contains("HTTP 400", "cmon_hostname");

        Run noUrl = run(install(), Map.of("TOCSIN_TOKEN", "x"), "{}");
        assertThat(noUrl.exit()).isNotZero();
        assertThat(noUrl.stderr()).contains("TOCSIN_URL is not set");

        Run badController = run(SCRIPT, Map.of("TOCSIN_URL", collector.baseUrl(), "TOCSIN_TOKEN", "x",
                "TOCSIN_CONTROLLER", "cc1;rm -rf /"), "{}");
        assertThat(badController.exit()).isNotZero();
        assertThat(badController.stderr()).contains("TOCSIN_CONTROLLER may contain only");

        Run unreachable = run(SCRIPT, Map.of("TOCSIN_URL", "http://127.0.0.1:9", "TOCSIN_TOKEN", "x", "TOCSIN_RETRIES", "0"), "{}");
        assertThat(unreachable.exit()).isNotZero();
        assertThat(unreachable.stderr()).contains("could not POST the alarm");
    }

    /** A copy of the script in a directory of its own, as in cmon's plugin directory. */
    private Path install() throws IOException {
        Path pluginDir = Files.createDirectories(dir.resolve("plugins-" + System.nanoTime()));
        Path installed = pluginDir.resolve("tocsin-plugin");
        Files.copy(SCRIPT, installed);
        return installed;
    }

    private static String realCurl() {
        for (String entry : System.getenv("PATH").split(":")) {
            Path candidate = Path.of(entry, "curl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("curl is not installed: the plugin cannot run here");
    }
}
