package io.tocsin.collector.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real commands: split without a shell, the shell only when asked, a timeout, exit statuses, a scrubbed environment. */
class CommandRunnerTest {

    @TempDir
    Path dir;

    final CommandRunner runner = new CommandRunner(Duration.ofSeconds(10), true, System.getenv());

    @BeforeEach
    void scripts() throws IOException, URISyntaxException {
        Files.copy(Path.of(getClass().getResource("/process/args.sh").toURI()), dir.resolve("args.sh"));
    }

    static ProcessEntry entry(String command, boolean shell) {
        return new ProcessEntry("test-process", command, "", "", command, "", "", false, shell);
    }

    CommandRunner.Result run(String command, boolean shell) {
        ProcessEntry entry = entry(command, shell);
        return runner.run(entry, entry.restart());
    }

    @Test
    void argumentsWithSpacesAndQuotesArriveIntactAndNothingIsInterpretedByAShell() throws IOException {
        Path out = dir.resolve("args.out");
        String hostile = "/bin/sh '" + dir + "/args.sh' '" + out + "' 'a b' \"say \\\"hi\\\"\" c\\ d"
                + " '$(touch " + dir + "/pwned1)' `touch " + dir + "/pwned2` ; touch " + dir + "/pwned3 && echo $HOME";
        CommandRunner.Result result = run(hostile, false);

        assertThat(result.succeeded()).as(result.status()).isTrue();
        assertThat(Files.readAllLines(out)).containsExactly("[a b]", "[say \"hi\"]", "[c d]", "[$(touch " + dir + "/pwned1)]",
                "[`touch]", "[" + dir + "/pwned2`]", "[;]", "[touch]", "[" + dir + "/pwned3]", "[&&]", "[echo]", "[$HOME]");
        assertThat(dir.resolve("pwned1")).doesNotExist();
        assertThat(dir.resolve("pwned2")).doesNotExist();
        assertThat(dir.resolve("pwned3")).doesNotExist();
    }

    @Test
    void theShellIsUsedOnlyWhenTheEntrySaysSo() {
        Path made = dir.resolve("made-by-shell");
        assertThat(run("test 3 -eq $((1 + 2)) && touch '" + made + "'", true).succeeded()).isTrue();
        assertThat(made).exists();
        assertThat(runner.argv("a 'b c'", false, true)).containsExactly("/bin/sh", "-c", "a 'b c'");
        assertThat(runner.argv("a 'b c'", false, false)).containsExactly("a", "b c");
    }

    @Test
    void runAsRootUsesNonInteractiveSudoOnlyWhenNotRoot() {
        CommandRunner notRoot = new CommandRunner(Duration.ofSeconds(1), false, Map.of());
        assertThat(notRoot.argv("systemctl restart sshd", true, false)).containsExactly("sudo", "-n", "--", "systemctl", "restart", "sshd");
        assertThat(notRoot.argv("systemctl restart sshd", true, true)).containsExactly("sudo", "-n", "--", "/bin/sh", "-c", "systemctl restart sshd");
        assertThat(notRoot.argv("systemctl restart sshd", false, false)).containsExactly("systemctl", "restart", "sshd");
        CommandRunner root = new CommandRunner(Duration.ofSeconds(1), true, Map.of());
        assertThat(root.argv("systemctl restart sshd", true, false)).containsExactly("systemctl", "restart", "sshd");
    }

    @Test
    void exitStatusesAndCommandsThatCannotStartAreReported() {
        CommandRunner.Result failed = run("/bin/sh -c 'echo to stderr >&2; exit 3'", false);
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.outcome()).isEqualTo(CommandRunner.Outcome.EXITED);
        assertThat(failed.exitCode()).isEqualTo(3);
        assertThat(failed.status()).isEqualTo("exit status 3");

        CommandRunner.Result missing = run(dir + "/no-such-program", false);
        assertThat(missing.outcome()).isEqualTo(CommandRunner.Outcome.NOT_STARTED);
        assertThat(missing.status()).startsWith("could not be started: ").contains("No such file or directory").doesNotEndWith(" ");

        assertThat(run("/bin/sh -c 'echo only a warning >&2'", false).succeeded())
                .as("output on stderr does not make a command fail, only its exit status").isTrue();
    }

    @Test
    void aCommandOverItsTimeoutIsKilledWithItsChildrenAndCountsAsFailed() throws Exception {
        CommandRunner quick = new CommandRunner(Duration.ofMillis(300), true, System.getenv());
        Path pid = dir.resolve("child.pid");
        ProcessEntry entry = entry("/bin/sh -c 'sleep 30 & echo $! > \"$0\"; wait' " + pid, false);
        long started = System.nanoTime();
        CommandRunner.Result result = quick.run(entry, entry.restart());
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(result.outcome()).isEqualTo(CommandRunner.Outcome.TIMED_OUT);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.status()).isEqualTo("killed after the 300 ms timeout");
        assertThat(millis).isLessThan(5_000);
        long child = Long.parseLong(Files.readString(pid).strip());
        io.tocsin.testing.Eventually.within(Duration.ofSeconds(5), () -> assertThat(ProcessHandle.of(child).map(ProcessTableTest::running))
                .as("the command's child was killed too").isNotEqualTo(java.util.Optional.of(true)));
    }

    @Test
    void aChattyCommandDoesNotBlockOnItsOutput() {
        // 1 MB on each stream, far over the pipe buffer and the logged limit.
        CommandRunner.Result result = run("/bin/sh -c 'head -c 1000000 /dev/zero | tr \"\\\\0\" x; head -c 1000000 /dev/zero >&2'", false);
        assertThat(result.succeeded()).as(result.status()).isTrue();
    }

    @Test
    void tocsinSecretsAreNotPassedOn() throws IOException {
        Map<String, String> inherited = Map.of("PATH", System.getenv("PATH"), "TOCSIN_SECURITY_INGEST_TOKEN", "t0k3n",
                "TOCSIN_CLOUD_SECRET_KEY", "k3y", "tocsin_kafka_properties_sasl_jaas_config", "jaas", "TOCSIN_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                "OTHER_TOKEN", "theirs");
        CommandRunner scrubbing = new CommandRunner(Duration.ofSeconds(10), true, inherited);
        Path out = dir.resolve("env.out");
        ProcessEntry entry = entry("env > '" + out + "'", true);
        assertThat(scrubbing.run(entry, entry.restart()).succeeded()).isTrue();
        List<String> environment = Files.readAllLines(out);
        assertThat(environment).contains("TOCSIN_KAFKA_BOOTSTRAP_SERVERS=kafka:9092", "OTHER_TOKEN=theirs")
                .noneMatch(line -> line.contains("t0k3n") || line.contains("k3y") || line.contains("jaas"));
    }
}
