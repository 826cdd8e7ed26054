package io.tocsin.dispatcher.channel.plugin;

import io.tocsin.common.process.CapturedOutput;
import io.tocsin.common.process.ChildProcess;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one plugin once through {@link ChildProcess}: no shell (the executable is started directly, the alarm goes
 * to its standard input or environment, never to a command line), the environment replaced by the given one,
 * standard output and error drained concurrently and capped, the process and its descendants killed after the
 * timeout. What is the plugin's own: the classification of the ending and the masking of secrets in the log.
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
        // The dispatcher's own environment may hold credentials (Kafka, cloud keys): none of it is passed on.
        ChildProcess.Result result = ChildProcess.run(new ChildProcess.Request(
                List.of(invocation.plugin().realExecutable().toString()), invocation.environment(),
                invocation.plugin().realDirectory(), invocation.stdin(), invocation.timeout(), OUTPUT_LIMIT,
                ChildProcess.OnInterrupt.KILL_TREE));
        return switch (result.outcome()) {
            case NOT_STARTED -> new DeliveryResult.Permanent(Failure.CONFIG, quoted + " could not be started: " + result.startFailure());
            case INTERRUPTED -> new DeliveryResult.Retryable(Failure.TIMEOUT, quoted + " was interrupted and killed");
            case TIMED_OUT -> {
                log(invocation, "timed out", result);
                yield new DeliveryResult.Retryable(Failure.TIMEOUT, quoted + " did not finish within "
                        + invocation.timeout().toMillis() + " ms and was killed");
            }
            case EXITED -> {
                log(invocation, "exited with code " + result.exitCode(), result);
                yield result.exitCode() == 0 ? DeliveryResult.Delivered.INSTANCE : new DeliveryResult.Retryable(
                        Failure.SERVER, quoted + " exited with code " + result.exitCode(), result.exitCode(), Optional.empty());
            }
        };
    }

    private static void log(Invocation invocation, String outcome, ChildProcess.Result result) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("Plugin '{}' {} after {} ms; stdout: [{}]; stderr: [{}]", invocation.name(), outcome,
                    result.duration().toMillis(), new CappedOutput(result.stdout()).text(invocation.secrets()),
                    new CappedOutput(result.stderr()).text(invocation.secrets()));
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

    /** The first {@link #OUTPUT_LIMIT} bytes of a stream, as the log may show them: with every secret masked. */
    static final class CappedOutput {

        private final CapturedOutput captured;

        CappedOutput() {
            this(new CapturedOutput(OUTPUT_LIMIT));
        }

        CappedOutput(CapturedOutput captured) {
            this.captured = captured;
        }

        void write(byte[] chunk, int length) {
            captured.write(chunk, length);
        }

        /** The kept output as text with every secret value replaced by {@code ***}. */
        String text(Collection<String> secrets) {
            return redact(captured.text(), secrets, captured.truncated());
        }
    }
}
