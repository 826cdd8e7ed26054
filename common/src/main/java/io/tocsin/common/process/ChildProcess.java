package io.tocsin.common.process;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one external program to its end with the mechanics every Tocsin service needs for a child process:
 *
 * <ul>
 *   <li><b>No shell</b>: the argument vector is started directly, so nothing in it is expanded or interpreted
 *       (a caller that wants a shell puts {@code /bin/sh -c} in the vector itself).</li>
 *   <li><b>Environment</b>: exactly the given one; the service's own is never passed on implicitly. Callers that
 *       pass their own environment on remove Tocsin's secrets first with {@link #withoutTocsinSecrets}.</li>
 *   <li><b>Standard input</b>: the given bytes, written on a virtual thread so that a child that never reads
 *       cannot hold the caller past the timeout, then closed; {@code /dev/null} when there are none.</li>
 *   <li><b>Output</b>: standard output and error drained concurrently to their end, so a chatty child never blocks
 *       on a full pipe; the first {@link Request#outputLimit} bytes of each are kept ({@link CapturedOutput}).</li>
 *   <li><b>Timeout</b>: a child still running after it is killed with all its descendants ({@link #killTree}).</li>
 * </ul>
 *
 * <p>Error contract: {@link #run} never throws for anything the child does; the {@link Result}'s {@link Outcome}
 * says how it ended: {@link Outcome#EXITED} with its exit code, {@link Outcome#TIMED_OUT} (killed),
 * {@link Outcome#NOT_STARTED} with the operating system's reason ({@link Result#startFailure}, e.g.
 * {@code error=2, No such file or directory}), or {@link Outcome#INTERRUPTED} when the calling thread was
 * interrupted while waiting (the interrupt flag is left set, and the child is killed or left running as
 * {@link Request#onInterrupt} says). An invalid {@link Request} (empty argument vector, negative timeout or limit)
 * throws {@link IllegalArgumentException} or {@link NullPointerException} when it is built.
 */
public final class ChildProcess {

    /**
     * How long output may keep flowing after the child ended. A child that left a background process holding its
     * output pipe would otherwise keep the caller waiting for that process's end; the reader drains on alone.
     */
    static final Duration OUTPUT_GRACE = Duration.ofSeconds(1);
    /** How long to wait for killed processes to disappear; SIGKILL takes milliseconds. */
    static final Duration KILL_WAIT = Duration.ofSeconds(2);
    /** Words that mark a {@code TOCSIN_*} variable as a secret (tokens, encryption keys, Kafka passwords). */
    private static final List<String> SECRET_WORDS = List.of("TOKEN", "SECRET", "KEY", "PASSWORD", "PASSWD", "JAAS", "CREDENTIAL");
    private static final File NO_INPUT = new File("/dev/null");

    /** How a run ended. */
    public enum Outcome { EXITED, TIMED_OUT, NOT_STARTED, INTERRUPTED }

    /** What an interrupt of the waiting thread does to the child. */
    public enum OnInterrupt {
        /** Kill the child and its descendants, as on the timeout. */
        KILL_TREE,
        /** Stop waiting and let the child finish on its own (killing it half-way could do more harm). */
        LEAVE_RUNNING
    }

    /**
     * One run.
     *
     * @param argv        the program and its arguments, started without a shell
     * @param environment the complete environment of the child
     * @param directory   its working directory, or {@code null} for the caller's
     * @param stdin       what to write to its standard input before closing it; empty (or {@code null}) for none
     * @param timeout     how long it may run before it is killed
     * @param outputLimit bytes of each output stream to keep; the rest is read and dropped
     * @param onInterrupt what an interrupt of the calling thread does to the child
     */
    public record Request(List<String> argv, Map<String, String> environment, Path directory, byte[] stdin,
                          Duration timeout, int outputLimit, OnInterrupt onInterrupt) {

        public Request {
            argv = List.copyOf(argv);
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("argv must name a program");
            }
            environment = Map.copyOf(environment);
            stdin = stdin == null ? new byte[0] : stdin.clone();
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("timeout must not be negative: " + timeout);
            }
            if (outputLimit < 0) {
                throw new IllegalArgumentException("outputLimit must not be negative: " + outputLimit);
            }
            Objects.requireNonNull(onInterrupt, "onInterrupt");
        }

        @Override
        public byte[] stdin() {
            return stdin.clone();
        }
    }

    /**
     * What became of a run.
     *
     * @param outcome      how it ended
     * @param exitCode     the exit code when {@link Outcome#EXITED}, else -1
     * @param startFailure why it could not be started when {@link Outcome#NOT_STARTED}, else {@code null}
     * @param stdout       the kept standard output (still filling when the child left a process holding the pipe)
     * @param stderr       the kept standard error, likewise
     * @param duration     from the start until the child ended and its output was read (or the caller stopped waiting)
     */
    public record Result(Outcome outcome, int exitCode, String startFailure, CapturedOutput stdout,
                         CapturedOutput stderr, Duration duration) {

        /** Whether the child exited with code 0. */
        public boolean succeeded() {
            return outcome == Outcome.EXITED && exitCode == 0;
        }
    }

    private ChildProcess() {
    }

    /** Runs the child and waits for it; see the class's error contract. */
    public static Result run(Request request) {
        ProcessBuilder builder = new ProcessBuilder(request.argv());
        if (request.directory() != null) {
            builder.directory(request.directory().toFile());
        }
        builder.environment().clear();
        builder.environment().putAll(request.environment());
        byte[] input = request.stdin();
        if (input.length == 0) {
            builder.redirectInput(ProcessBuilder.Redirect.from(NO_INPUT));
        }
        CapturedOutput stdout = new CapturedOutput(request.outputLimit());
        CapturedOutput stderr = new CapturedOutput(request.outputLimit());
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Result(Outcome.NOT_STARTED, -1, startFailure(e), stdout, stderr, since(started));
        }
        Thread stdoutReader = drain(process.getInputStream(), stdout);
        Thread stderrReader = drain(process.getErrorStream(), stderr);
        if (input.length > 0) {
            feed(process.getOutputStream(), input);
        }
        Outcome outcome;
        try {
            outcome = process.waitFor(request.timeout().toNanos(), TimeUnit.NANOSECONDS) ? Outcome.EXITED : Outcome.TIMED_OUT;
        } catch (InterruptedException e) {
            if (request.onInterrupt() == OnInterrupt.KILL_TREE) {
                killTree(process);
            }
            Thread.currentThread().interrupt();
            return new Result(Outcome.INTERRUPTED, -1, null, stdout, stderr, since(started));
        }
        if (outcome == Outcome.TIMED_OUT) {
            killTree(process);
        }
        awaitOutput(stdoutReader, stderrReader);
        int exitCode = outcome == Outcome.EXITED ? process.exitValue() : -1;
        return new Result(outcome, exitCode, null, stdout, stderr, since(started));
    }

    /**
     * {@code inherited} without the variables that hold Tocsin's secrets: every {@code TOCSIN_*} variable whose name
     * contains TOKEN, SECRET, KEY, PASSWORD, PASSWD, JAAS or CREDENTIAL (case-insensitive), such as
     * {@code TOCSIN_SECURITY_INGEST_TOKEN} or {@code TOCSIN_KAFKA_PROPERTIES_SASL_JAAS_CONFIG}. For a service that
     * passes its own environment on: a child has no use for them, and it may log or leak its environment. An
     * environment built variable by variable for the child needs no scrubbing (and may hold such names on purpose).
     */
    public static Map<String, String> withoutTocsinSecrets(Map<String, String> inherited) {
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
     * Whether a process still runs. A killed grandchild stays a zombie until init reaps it, which
     * {@link ProcessHandle#isAlive} counts as alive; on Linux its state in /proc/PID/stat ({@code Z}) says it is
     * dead. See proc(5).
     */
    public static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return true; // No procfs (not Linux): isAlive is all there is.
        }
        try {
            String line = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"), StandardCharsets.US_ASCII);
            // "pid (comm) state ...": comm may contain spaces and parentheses, the state follows the last ')'.
            String afterName = line.substring(line.lastIndexOf(')') + 1).trim();
            return !afterName.startsWith("Z") && !afterName.startsWith("X");
        } catch (IOException e) {
            return false; // Reaped between the two looks.
        }
    }

    /**
     * Kills the process and every descendant, the root first so that it cannot start more, and waits up to
     * {@link #KILL_WAIT} for all of them to be gone (zombies count as gone: {@link #running}). Descendants are
     * listed before anything is killed: once a parent dies its children belong to init and are no longer
     * descendants. A process that detached itself before the snapshot (double fork, then its parent exited) is
     * out of reach, and so is what runs under {@code sudo} when the caller is not root.
     */
    static void killTree(Process process) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        tree.addAll(process.descendants().toList());
        tree.forEach(ProcessHandle::destroyForcibly);
        // parkNanos returns at once while the flag is set: clear it for the wait, then put it back.
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        // onExit() of a process that is not our child polls with a growing delay; SIGKILL takes milliseconds.
        while (tree.stream().anyMatch(ChildProcess::running) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads a stream to its end on a virtual thread into {@code output}. */
    private static Thread drain(InputStream in, CapturedOutput output) {
        return Thread.ofVirtual().name("child-process-output").start(() -> {
            byte[] chunk = new byte[8192];
            try (in) {
                for (int n; (n = in.read(chunk)) != -1; ) {
                    output.write(chunk, n);
                }
            } catch (IOException e) {
                // The stream closes when the process is killed: nothing more to read.
            }
        });
    }

    /** Writes the input and closes it. A child need not read its input: a broken pipe is ignored. */
    private static void feed(OutputStream stdin, byte[] input) {
        Thread.ofVirtual().name("child-process-input").start(() -> {
            try (stdin) {
                stdin.write(input);
            } catch (IOException e) {
                // Broken pipe or stream closed: the child did not want (all of) its input; its exit code decides.
            }
        });
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
            // The child has already ended with its verdict; the output is only for the log.
            Thread.currentThread().interrupt();
        }
    }

    /** The operating system's reason: the JDK's message names the path, its cause says why (error=13, Permission denied). */
    private static String startFailure(IOException e) {
        Throwable cause = e.getCause();
        String why = cause != null && cause.getMessage() != null ? cause.getMessage() : e.getMessage();
        return why != null ? why.strip() : e.getClass().getSimpleName();
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
