package io.tocsin.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code java -jar bench/target/tocsin-bench.jar --ingest-token T [options]}: load and latency harness for a
 * running Tocsin (docs/BENCH.md).
 *
 * <p>Exit codes: 0 when nothing was lost, duplicated or refused; 1 otherwise, or when the run could not start
 * (receiver port taken, integration not created); 2 on bad arguments, with a message naming the option.
 */
public final class Bench {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_ARGUMENTS = 2;

    private Bench() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the bench with {@code args}, printing to {@code out} and {@code err}; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out.print(BenchOptions.usage());
            return OK;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (BenchOptions.BadOptionException e) {
            err.println("tocsin-bench: " + e.getMessage());
            return BAD_ARGUMENTS;
        }
        try {
            BenchResult result = new BenchRun(options, out).run();
            new Report(out).summary(result);
            if (options.json()) {
                new Report(out).json(result);
            }
            return result.ok() ? OK : FAILED;
        } catch (IOException e) {
            err.println("tocsin-bench: " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("tocsin-bench: interrupted");
            return FAILED;
        }
    }
}
