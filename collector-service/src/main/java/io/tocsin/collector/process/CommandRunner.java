package io.tocsin.collector.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Runs the commands of the process list, one at a time, and waits for each.
 *
 * <ul>
 *   <li><b>No shell</b> unless the entry says {@code shell: true}: the command is split by {@link CommandSplitter}
 *       and started directly, so nothing in it is expanded or interpreted. With {@code shell: true} it runs as
 *       {@code /bin/sh -c <command>} (the operator asked for a shell: pipes, redirections, variables).</li>
 *   <li><b>run_as_root</b>: when the collector is not root the command is prefixed with {@code sudo -n --}
 *       ({@code -n}: fail instead of waiting for a password; {@code --}: the command can never be read as sudo's
 *       options). When it is root, nothing is added. masakari runs such commands through oslo.privsep.</li>
 *   <li><b>Environment</b>: the collector's, minus Tocsin's secrets ({@link #scrub}).</li>
 *   <li><b>Timeout</b>: a command still running after it is killed with its descendants; it counts as failed.</li>
 *   <li><b>Output</b>: standard output is logged at INFO and standard error at WARN, as masakari does; at most
 *       {@link #OUTPUT_LIMIT} bytes per stream and {@link #LINE_LIMIT} characters per line, control characters
 *       replaced. Both streams are read to their end, so a chatty command never blocks on a full pipe.</li>
 * </ul>
 *
 * <p>Error contract: {@link #run} never throws; it returns a {@link Result} whose {@link Result#status} says what
 * happened ({@code exit status 3}, {@code killed after the 60 s timeout}, {@code could not be started: ...}).
 * Unlike masakari, output on standard error does not make a command fail: only its exit status counts
 * ({@code systemctl} and many scripts print warnings there while succeeding).
 */
final class CommandRunner {

    private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);
    /** Bytes of each output stream that reach the log; the rest is read and dropped. */
    static final int OUTPUT_LIMIT = 4096;
    /** Characters of one output line that reach the log. */
    static final int LINE_LIMIT = 500;
    /**
     * How long output may keep flowing after the command exited. A start script that leaves a daemon holding its
     * output pipe would otherwise keep us waiting for the daemon's end; its reader then drains on in the background.
     */
    private static final Duration OUTPUT_GRACE = Duration.ofSeconds(1);
    private static final Duration KILL_WAIT = Duration.ofSeconds(2);
    /** Words that mark a {@code TOCSIN_*} variable as a secret (tokens, encryption keys, Kafka passwords). */
    private static final List<String> SECRET_WORDS = List.of("TOKEN", "SECRET", "KEY", "PASSWORD", "PASSWD", "JAAS", "CREDENTIAL");

    /** What became of one command. */
    enum Outcome { EXITED, TIMED_OUT, NOT_STARTED, INTERRUPTED }

    /**
     * @param outcome  how the command ended
     * @param exitCode its exit status when {@link Outcome#EXITED}, else -1
     * @param status   the outcome in words, for logs and the alarm's message
     */
    record Result(Outcome outcome, int exitCode, String status) {

        boolean succeeded() {
            return outcome == Outcome.EXITED && exitCode == 0;
        }
    }

    private final Duration timeout;
    private final boolean elevated;
    private final Map<String, String> environment;

    /**
     * @param timeout   how long one command may run
     * @param elevated  whether the collector runs as root (then {@code run_as_root} adds nothing)
     * @param inherited the environment to pass on, before {@link #scrub}
     */
    CommandRunner(Duration timeout, boolean elevated, Map<String, String> inherited) {
        this.timeout = timeout;
        this.elevated = elevated;
        this.environment = Map.copyOf(scrub(inherited));
    }

    /**
     * {@code inherited} without the variables that hold Tocsin's secrets: every {@code TOCSIN_*} variable whose name
     * contains TOKEN, SECRET, KEY, PASSWORD, PASSWD, JAAS or CREDENTIAL (case-insensitive), such as
     * {@code TOCSIN_SECURITY_INGEST_TOKEN} or {@code TOCSIN_KAFKA_PROPERTIES_SASL_JAAS_CONFIG}. A start command has
     * no use for them, and a child process may log or leak its environment.
     */
    static Map<String, String> scrub(Map<String, String> inherited) {
        Map<String, String> kept = new HashMap<>();
        inherited.forEach((name, value) -> {
            String upper = name.toUpperCase(Locale.ROOT);
            boolean secret = upper.startsWith("TOCSIN_") && SECRET_WORDS.stream().anyMatch(upper::contains);
            if (!secret) {
                kept.put(name, value);
            }
        });
        return kept;
    }

    /**
     * The argument vector a command runs as.
     *
     * @throws IllegalArgumentException when a {@code shell: false} command does not split (the loader has checked)
     */
    List<String> argv(String command, boolean runAsRoot, boolean shell) {
        List<String> argv = new ArrayList<>();
        if (runAsRoot && !elevated) {
            argv.addAll(List.of("sudo", "-n", "--"));
        }
        if (shell) {
            argv.addAll(List.of("/bin/sh", "-c", command));
        } else {
            argv.addAll(CommandSplitter.split(command));
        }
        return argv;
    }

    /** Runs one command of {@code entry} and waits for it; see the class's error contract. */
    Result run(ProcessEntry entry, ProcessEntry.Step step) {
        String what = "Process '" + printable(entry.processName()) + "': " + step.key();
        LOG.info("{} runs: {}", what, printable(step.command()));
        ProcessBuilder builder = new ProcessBuilder(argv(step.command(), entry.runAsRoot(), entry.shell()));
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            // The JDK's cause says why ("Exec failed, error: 2 (No such file or directory)").
            String why = (e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : String.valueOf(e.getMessage())).strip();
            Result result = new Result(Outcome.NOT_STARTED, -1, "could not be started: " + why);
            LOG.warn("{} {}", what, result.status());
            return result;
        }
        Thread stdout = drain(process.getInputStream(), what + " stdout: ", Level.INFO);
        Thread stderr = drain(process.getErrorStream(), what + " stderr: ", Level.WARN);
        Result result;
        try {
            if (process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                result = new Result(Outcome.EXITED, process.exitValue(), "exit status " + process.exitValue());
            } else {
                killTree(process);
                result = new Result(Outcome.TIMED_OUT, -1, "killed after the " + timeout.toMillis() + " ms timeout");
            }
        } catch (InterruptedException e) {
            // The collector is stopping. The command is left to finish: killing a start script half-way could leave
            // the service in a worse state than letting it complete.
            Thread.currentThread().interrupt();
            return new Result(Outcome.INTERRUPTED, -1, "not waited for: the collector is stopping");
        }
        awaitOutput(stdout, stderr);
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (result.succeeded()) {
            LOG.info("{} ended with {} after {} ms", what, result.status(), millis);
        } else {
            LOG.warn("{} failed: {} after {} ms", what, result.status(), millis);
        }
        return result;
    }

    /**
     * Kills the command and its descendants, the root first so that it starts no more. Descendants are listed
     * before anything is killed: once a parent dies its children belong to init. A command run through
     * {@code sudo} by a collector that is not root cannot be killed beyond sudo itself.
     */
    private static void killTree(Process process) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        tree.addAll(process.descendants().toList());
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads a stream to its end on a virtual thread; logs the first {@link #OUTPUT_LIMIT} bytes line by line. */
    private static Thread drain(InputStream in, String prefix, Level level) {
        return Thread.ofVirtual().name("process-command-output").start(() -> {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            long dropped = 0;
            byte[] chunk = new byte[8192];
            try (in) {
                for (int n; (n = in.read(chunk)) != -1; ) {
                    int room = OUTPUT_LIMIT - kept.size();
                    kept.write(chunk, 0, Math.max(0, Math.min(room, n)));
                    dropped += Math.max(0, n - Math.max(0, room));
                }
            } catch (IOException e) {
                // The stream closes when the process is killed: nothing more to read.
            }
            logLines(prefix, level, kept.toString(StandardCharsets.UTF_8), dropped);
        });
    }

    private static void logLines(String prefix, Level level, String text, long dropped) {
        if (text.isEmpty()) {
            return;
        }
        for (String line : text.split("\\R")) {
            String shown = line.length() > LINE_LIMIT ? line.substring(0, LINE_LIMIT) + "... (line cut)" : line;
            LOG.atLevel(level).log("{}{}", prefix, printable(shown));
        }
        if (dropped > 0) {
            LOG.atLevel(level).log("{}... ({} more bytes not logged)", prefix, dropped);
        }
    }

    private static void awaitOutput(Thread... readers) {
        long deadline = System.nanoTime() + OUTPUT_GRACE.toNanos();
        try {
            for (Thread reader : readers) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    reader.join(Duration.ofNanos(left));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code text} with control characters replaced, so a command's output cannot forge log lines. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) && c != '\t' ? '?' : c));
        return out.toString();
    }
}
