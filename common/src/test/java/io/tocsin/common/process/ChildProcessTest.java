package io.tocsin.common.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tocsin.common.process.ChildProcess.OnInterrupt;
import io.tocsin.common.process.ChildProcess.Outcome;
import io.tocsin.common.process.ChildProcess.Request;
import io.tocsin.common.process.ChildProcess.Result;
import io.tocsin.testing.Eventually;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes ({@code sh -c} scripts): how runs end, what they get, what is kept of their output. */
class ChildProcessTest {

    private static final Map<String, String> PATH_ONLY = Map.of("PATH", System.getenv("PATH"));

    @TempDir
    Path dir;

    private Request script(String script, byte[] stdin, Duration timeout, OnInterrupt onInterrupt) {
        return new Request(List.of("/bin/sh", "-c", script), PATH_ONLY, dir, stdin, timeout, 64, onInterrupt);
    }

    private Result run(String script) {
        return ChildProcess.run(script(script, null, Duration.ofSeconds(10), OnInterrupt.KILL_TREE));
    }

    /** The file's text, empty while it does not exist. */
    private static String read(Path path) {
        try {
            return Files.exists(path) ? Files.readString(path) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean written(String file) {
        return !read(dir.resolve(file)).isBlank();
    }

    @Test
    void theChildGetsItsInputExactlyTheGivenEnvironmentAndItsWorkingDirectory() throws Exception {
        Map<String, String> environment = Map.of("PATH", System.getenv("PATH"), "ONLY_THIS", "a b $(c)");
        byte[] input = "line one\n$(touch pwned)\n".getBytes(StandardCharsets.UTF_8);
        Result result = ChildProcess.run(new Request(List.of("/bin/sh", "-c", "cat; pwd -P; echo \"home=${HOME-unset}\"; echo \"$ONLY_THIS\" >&2; exit 7"),
                environment, dir, input, Duration.ofSeconds(10), 4096, OnInterrupt.KILL_TREE));

        assertThat(result.outcome()).isEqualTo(Outcome.EXITED);
        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.startFailure()).isNull();
        // Nothing of this JVM's environment (HOME among it) is inherited.
        assertThat(result.stdout().text()).isEqualTo("line one\n$(touch pwned)\n" + dir.toRealPath() + "\nhome=unset\n");
        assertThat(result.stderr().text()).isEqualTo("a b $(c)\n");
        assertThat(result.stdout().truncated()).isFalse();
        assertThat(dir.resolve("pwned")).doesNotExist();
    }

    @Test
    void withoutInputTheChildReadsEndOfFileAtOnce() {
        Result result = ChildProcess.run(script("cat; echo done", new byte[0], Duration.ofSeconds(5), OnInterrupt.KILL_TREE));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdout().text()).isEqualTo("done\n");
        assertThat(result.duration()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void outputPastTheLimitIsReadAndCountedButNotKept() {
        // 1 MB on each stream, far over the pipe buffer: a child that cannot write would never exit.
        Result result = run("head -c 1000000 /dev/zero | tr '\\0' x; head -c 1000000 /dev/zero >&2");

        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdout().bytes()).hasSize(64).containsOnly((byte) 'x');
        assertThat(result.stdout().truncated()).isTrue();
        assertThat(result.stdout().droppedBytes()).isEqualTo(1_000_000 - 64);
        assertThat(result.stderr().droppedBytes()).isEqualTo(1_000_000 - 64);
    }

    @Test
    void aChildPastItsTimeoutIsKilledWithItsDescendants() throws Exception {
        long started = System.nanoTime();
        Result result = ChildProcess.run(script("sleep 30 & echo $! > child.pid; echo $$ > self.pid; wait", null,
                Duration.ofMillis(300), OnInterrupt.KILL_TREE));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.outcome()).isEqualTo(Outcome.TIMED_OUT);
        assertThat(result.exitCode()).isEqualTo(-1);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(3));
        for (String pidFile : List.of("self.pid", "child.pid")) {
            long pid = Long.parseLong(Files.readString(dir.resolve(pidFile)).strip());
            assertThat(ProcessHandle.of(pid).map(ChildProcess::running)).as(pidFile).isNotEqualTo(java.util.Optional.of(true));
        }
    }

    @Test
    void aProgramThatCannotStartIsReportedWithTheSystemsReason() {
        Result result = ChildProcess.run(new Request(List.of(dir + "/no-such-program"), PATH_ONLY, null, null,
                Duration.ofSeconds(1), 64, OnInterrupt.KILL_TREE));

        assertThat(result.outcome()).isEqualTo(Outcome.NOT_STARTED);
        assertThat(result.exitCode()).isEqualTo(-1);
        assertThat(result.startFailure()).contains("No such file or directory").doesNotEndWith(" ");
        assertThat(result.stdout().bytes()).isEmpty();
    }

    @Test
    void anInterruptKillsTheTreeOrLeavesTheChildRunningAsAskedAndLeavesTheFlagSet() throws Exception {
        for (OnInterrupt onInterrupt : OnInterrupt.values()) {
            String self = onInterrupt + ".pid";
            AtomicReference<Result> result = new AtomicReference<>();
            AtomicBoolean flagAfter = new AtomicBoolean();
            Thread caller = Thread.ofVirtual().start(() -> {
                result.set(ChildProcess.run(script("echo $$ > " + self + "; exec sleep 30", null, Duration.ofSeconds(20), onInterrupt)));
                flagAfter.set(Thread.currentThread().isInterrupted());
            });
            Eventually.within(Duration.ofSeconds(5), () -> assertThat(written(self)).isTrue());
            ProcessHandle child = ProcessHandle.of(Long.parseLong(Files.readString(dir.resolve(self)).strip())).orElseThrow();

            caller.interrupt();
            caller.join(Duration.ofSeconds(5));

            assertThat(caller.isAlive()).isFalse();
            assertThat(result.get().outcome()).isEqualTo(Outcome.INTERRUPTED);
            assertThat(flagAfter).as(onInterrupt.name()).isTrue();
            assertThat(ChildProcess.running(child)).as(onInterrupt.name()).isEqualTo(onInterrupt == OnInterrupt.LEAVE_RUNNING);
            child.destroyForcibly();
        }
    }

    @Test
    void aZombieDoesNotCountAsRunning() throws Exception {
        // "exec sleep" replaces the shell, so nobody ever waits for the background sleep: once it ends it stays a
        // zombie. (It must outlive the exec: the shell reaps a child that has already ended.)
        Process parent = new ProcessBuilder("/bin/sh", "-c", "sleep 0.2 & echo $! > zombie.pid; exec sleep 30").directory(dir.toFile()).start();
        try {
            Eventually.within(Duration.ofSeconds(5), () -> assertThat(written("zombie.pid")).isTrue());
            long pid = Long.parseLong(Files.readString(dir.resolve("zombie.pid")).strip());
            Path stat = Path.of("/proc", Long.toString(pid), "stat");
            Eventually.within(Duration.ofSeconds(5), () -> assertThat(read(stat)).matches("(?s).*\\) Z .*"));
            ProcessHandle zombie = ProcessHandle.of(pid).orElseThrow();

            assertThat(zombie.isAlive()).as("the JDK's view, which made the kill wait last its whole 2 s").isTrue();
            assertThat(ChildProcess.running(zombie)).isFalse();
            assertThat(ChildProcess.running(parent.toHandle())).isTrue();
        } finally {
            parent.destroyForcibly().waitFor();
        }
        assertThat(ChildProcess.running(parent.toHandle())).isFalse();
    }

    @Test
    void onlyTocsinVariablesNamedLikeSecretsAreScrubbed() {
        Map<String, String> inherited = Map.of("PATH", "/bin", "TOCSIN_SECURITY_INGEST_TOKEN", "t", "TOCSIN_CLOUD_SECRET_KEY", "k",
                "tocsin_kafka_properties_sasl_jaas_config", "j", "TOCSIN_DB_PASSWD", "p", "TOCSIN_DB_PASSWORD", "p",
                "TOCSIN_AWS_CREDENTIALS", "c", "TOCSIN_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "OTHER_TOKEN", "theirs");

        assertThat(ChildProcess.withoutTocsinSecrets(inherited)).containsOnlyKeys("PATH", "TOCSIN_KAFKA_BOOTSTRAP_SERVERS", "OTHER_TOKEN");
    }

    @Test
    void invalidRequestsAreRefusedWhenBuilt() {
        assertThatThrownBy(() -> new Request(List.of(), PATH_ONLY, null, null, Duration.ofSeconds(1), 1, OnInterrupt.KILL_TREE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Request(List.of("true"), PATH_ONLY, null, null, Duration.ofSeconds(-1), 1, OnInterrupt.KILL_TREE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CapturedOutput(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
