package io.tocsin.dispatcher.channel.plugin;

import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one plugin once: no shell (the executable is started directly, the alarm goes to its standard input or
 * environment, never to a command line), the environment replaced by the given one, standard output and error
 * drained concurrently and capped, the process and its descendants killed after the timeout.
 *
 * <p>Error contract: {@link #run} never throws. Exit 0 is {@link DeliveryResult.Delivered}; another exit code is
 * {@link DeliveryResult.Retryable} {@link Failure#SERVER} with the code as status (like cmon and Pacemaker, which
 * treat a failed plugin as a failed delivery); the timeout and an interrupt of the calling thread kill the
 * process tree and give {@link DeliveryResult.Retryable} {@link Failure#TIMEOUT} (on an interrupt the flag is
 * left set); a plugin that cannot be started is {@link DeliveryResult.Permanent} {@link Failure#CONFIG}. Reasons
 * name the plugin file and never include its output, which may echo a secret; the output is logged at DEBUG
 * only, with the integration's secret values masked.
 */
final class PluginProcess {

    private static final Logger LOG = LoggerFactory.getLogger(PluginProcess.class);
    /** Bytes of each output stream kept for the log; the rest is read and dropped so the plugin never blocks. */
    static final int OUTPUT_LIMIT = 4096;
    /** How long output may keep flowing after the plugin exited (a background child may still hold the pipe). */
    private static final Duration OUTPUT_GRACE = Duration.ofSeconds(1);
    /** How long to wait for killed processes to disappear. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(2);

    /**
     * One run of a plugin.
     *
     * @param name        the plugin's file name, for reasons and logs
     * @param plugin      the resolved executable and its directory (the working directory)
     * @param environment the complete environment of the process
     * @param stdin       what to write to its standard input before closing it (may be empty)
     * @param timeout     how long it may run
     * @param secrets     values to mask in logged output
     */
    record Invocation(String name, PluginDirectory.Resolved plugin, Map<String, String> environment, byte[] stdin,
                      Duration timeout, Collection<String> secrets) {
    }

    private PluginProcess() {
    }

    /** Runs the plugin and waits for it; see the class's error contract. */
    static DeliveryResult run(Invocation invocation) {
        String quoted = "plugin '" + invocation.name() + "'";
        ProcessBuilder builder = new ProcessBuilder(List.of(invocation.plugin().realExecutable().toString()))
                .directory(invocation.plugin().realDirectory().toFile());
        // The dispatcher's own environment may hold credentials (Kafka, cloud keys): none of it is passed on.
        builder.environment().clear();
        builder.environment().putAll(invocation.environment());
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            // The JDK's message names the path; its cause says why (error=13, Permission denied; error=8, Exec format error).
            String why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getClass().getSimpleName();
            return new DeliveryResult.Permanent(Failure.CONFIG, quoted + " could not be started: " + why);
        }
        CappedOutput stdout = new CappedOutput();
        CappedOutput stderr = new CappedOutput();
        Thread stdoutReader = drain(process.getInputStream(), stdout);
        Thread stderrReader = drain(process.getErrorStream(), stderr);
        feed(process.getOutputStream(), invocation.stdin());
        try {
            if (!process.waitFor(invocation.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
                killTree(process);
                log(invocation, "timed out", started, stdout, stderr);
                return new DeliveryResult.Retryable(Failure.TIMEOUT, quoted + " did not finish within "
                        + invocation.timeout().toMillis() + " ms and was killed");
            }
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            return new DeliveryResult.Retryable(Failure.TIMEOUT, quoted + " was interrupted and killed");
        }
        awaitOutput(stdoutReader, stderrReader);
        int code = process.exitValue();
        log(invocation, "exited with code " + code, started, stdout, stderr);
        if (code == 0) {
            return DeliveryResult.Delivered.INSTANCE;
        }
        return new DeliveryResult.Retryable(Failure.SERVER, quoted + " exited with code " + code, code, Optional.empty());
    }

    /** Reads a stream to its end on a virtual thread, keeping the first {@link #OUTPUT_LIMIT} bytes. */
    private static Thread drain(InputStream in, CappedOutput output) {
        return Thread.ofVirtual().name("plugin-output").start(() -> {
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

    /**
     * Writes the input and closes it, on a virtual thread so that a plugin that never reads cannot hold us past
     * the timeout. A plugin need not read its input: a broken pipe (it exited or closed stdin) is ignored.
     */
    private static void feed(OutputStream stdin, byte[] input) {
        if (input.length == 0) {
            closeQuietly(stdin);
            return;
        }
        Thread.ofVirtual().name("plugin-input").start(() -> {
            try (stdin) {
                stdin.write(input);
            } catch (IOException e) {
                // Broken pipe or stream closed: the plugin did not want (all of) its input; its exit code decides.
            }
        });
    }

    /**
     * Kills the process and every descendant, the root first so that it cannot start more. Descendants are
     * listed before anything is killed: once a parent dies its children belong to init and are no longer
     * descendants. A process that detached itself before the snapshot (double fork, then its parent exited) is
     * out of reach; plugins must not daemonise.
     */
    private static void killTree(Process process) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        tree.addAll(process.descendants().toList());
        tree.forEach(ProcessHandle::destroyForcibly);
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        // onExit() of a process that is not our child polls with a growing delay; SIGKILL takes milliseconds.
        while (tree.stream().anyMatch(PluginProcess::running) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether a process still runs. A killed grandchild stays a zombie until init reaps it, which
     * {@link ProcessHandle#isAlive} counts as alive; on Linux its state in /proc/PID/stat ({@code Z}) says it is
     * dead. See proc(5).
     */
    static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return true; // No procfs (not Linux): isAlive is all there is.
        }
        try {
            String line = Files.readString(stat, StandardCharsets.US_ASCII);
            // "pid (comm) state ...": comm may contain spaces and parentheses, the state follows the last ')'.
            String afterName = line.substring(line.lastIndexOf(')') + 1).trim();
            return !afterName.startsWith("Z") && !afterName.startsWith("X");
        } catch (IOException e) {
            return false; // Reaped between the two looks.
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
            // The plugin has already exited with its verdict; the output is only for the log.
            Thread.currentThread().interrupt();
        }
    }

    private static void log(Invocation invocation, String outcome, long started, CappedOutput stdout, CappedOutput stderr) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("Plugin '{}' {} after {} ms; stdout: [{}]; stderr: [{}]", invocation.name(), outcome,
                    (System.nanoTime() - started) / 1_000_000, stdout.text(invocation.secrets()),
                    stderr.text(invocation.secrets()));
        }
    }

    /**
     * {@code text} with every occurrence of a secret value replaced by {@code ***}. When the text was cut, an end
     * that could be the start of a secret is dropped too, so a cut never leaves a secret's prefix behind.
     */
    static String redact(String text, Collection<String> secrets, boolean truncated) {
        String result = text;
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                result = result.replace(secret, "***");
            }
        }
        if (truncated) {
            for (String secret : secrets) {
                if (secret == null) {
                    continue;
                }
                for (int length = Math.min(secret.length() - 1, result.length()); length > 0; length--) {
                    if (result.endsWith(secret.substring(0, length))) {
                        result = result.substring(0, result.length() - length);
                        break;
                    }
                }
            }
        }
        return result;
    }

    private static void closeQuietly(OutputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // Already closed by the process's exit.
        }
    }

    /** The first {@link #OUTPUT_LIMIT} bytes of a stream; thread-safe. */
    static final class CappedOutput {

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private boolean truncated;

        synchronized void write(byte[] chunk, int length) {
            int room = OUTPUT_LIMIT - bytes.size();
            if (length > room) {
                truncated = true;
            }
            bytes.write(chunk, 0, Math.max(0, Math.min(room, length)));
        }

        /** The kept output as text with every secret value replaced by {@code ***}. */
        synchronized String text(Collection<String> secrets) {
            return redact(bytes.toString(StandardCharsets.UTF_8), secrets, truncated);
        }
    }
}
