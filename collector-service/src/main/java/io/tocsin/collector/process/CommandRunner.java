package io.tocsin.collector.process;

import io.tocsin.common.process.CapturedOutput;
import io.tocsin.common.process.ChildProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Runs the commands of the process list, one at a time, and waits for each, through {@link ChildProcess} (which
 * owns the mechanics: no shell, timeout, killing the tree, capped output); what is the monitor's own is below.
 *
 * <ul>
 *   <li><b>No shell</b> unless the entry says {@code shell: true}: the command is split by {@link CommandSplitter}
 *       and started directly, so nothing in it is expanded or interpreted. With {@code shell: true} it runs as
 *       {@code /bin/sh -c <command>} (the operator asked for a shell: pipes, redirections, variables).</li>
 *   <li><b>run_as_root</b>: when the collector is not root the command is prefixed with {@code sudo -n --}
 *       ({@code -n}: fail instead of waiting for a password; {@code --}: the command can never be read as sudo's
 *       options). When it is root, nothing is added. masakari runs such commands through oslo.privsep.</li>
 *   <li><b>Environment</b>: the collector's, minus Tocsin's secrets ({@link ChildProcess#withoutTocsinSecrets}).</li>
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
     * @param inherited the environment to pass on, before {@link ChildProcess#withoutTocsinSecrets}
     */
    CommandRunner(Duration timeout, boolean elevated, Map<String, String> inherited) {
        this.timeout = timeout;
        this.elevated = elevated;
        this.environment = Map.copyOf(ChildProcess.withoutTocsinSecrets(inherited));
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
        // The collector is stopping when interrupted. The command is left to finish: killing a start script
        // half-way could leave the service in a worse state than letting it complete.
        ChildProcess.Result run = ChildProcess.run(new ChildProcess.Request(argv(step.command(), entry.runAsRoot(), entry.shell()),
                environment, null, null, timeout, OUTPUT_LIMIT, ChildProcess.OnInterrupt.LEAVE_RUNNING));
        Result result = switch (run.outcome()) {
            case EXITED -> new Result(Outcome.EXITED, run.exitCode(), "exit status " + run.exitCode());
            case TIMED_OUT -> new Result(Outcome.TIMED_OUT, -1, "killed after the " + timeout.toMillis() + " ms timeout");
            case NOT_STARTED -> new Result(Outcome.NOT_STARTED, -1, "could not be started: " + run.startFailure());
            case INTERRUPTED -> new Result(Outcome.INTERRUPTED, -1, "not waited for: the collector is stopping");
        };
        if (run.outcome() == ChildProcess.Outcome.NOT_STARTED) {
            LOG.warn("{} {}", what, result.status());
            return result;
        }
        logLines(what + " stdout: ", Level.INFO, run.stdout());
        logLines(what + " stderr: ", Level.WARN, run.stderr());
        if (result.succeeded()) {
            LOG.info("{} ended with {} after {} ms", what, result.status(), run.duration().toMillis());
        } else if (run.outcome() != ChildProcess.Outcome.INTERRUPTED) {
            LOG.warn("{} failed: {} after {} ms", what, result.status(), run.duration().toMillis());
        }
        return result;
    }

    /** Logs the kept output line by line, long lines cut, then how much was not kept. */
    private static void logLines(String prefix, Level level, CapturedOutput output) {
        String text = output.text();
        if (text.isEmpty()) {
            return;
        }
        for (String line : text.split("\\R")) {
            String shown = line.length() > LINE_LIMIT ? line.substring(0, LINE_LIMIT) + "... (line cut)" : line;
            LOG.atLevel(level).log("{}{}", prefix, printable(shown));
        }
        if (output.truncated()) {
            LOG.atLevel(level).log("{}... ({} more bytes not logged)", prefix, output.droppedBytes());
        }
    }

    /** {@code text} with control characters replaced, so a command's output cannot forge log lines. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) && c != '\t' ? '?' : c));
        return out.toString();
    }
}
