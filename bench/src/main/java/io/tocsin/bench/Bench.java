package io.tocsin.bench;

import io.tocsin.bench.rules.RulesBenchOptions;
import io.tocsin.bench.rules.RulesBenchResult;
import io.tocsin.bench.rules.RulesBenchRun;
import io.tocsin.bench.rules.RulesReport;
import io.tocsin.bench.throughput.ThroughputOptions;
import io.tocsin.bench.throughput.ThroughputRun;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;

/**
 * {@code java -jar bench/target/tocsin-bench.jar [--scenario ingest|rules|throughput] [options]}: load and latency harness
 * for a running Tocsin (docs/BENCH.md). The {@code ingest} scenario (the default) drives HTTP ingest and receives
 * webhooks; the {@code rules} scenario writes metric samples and raw alarms to Kafka and measures the rules
 * service beside a plain copy ({@link RulesBenchRun}).
 *
 * <p>Exit codes: 0 when nothing was lost, duplicated or refused; 1 otherwise, or when the run could not start
 * (receiver port taken, integration not created, Kafka or Tocsin's topics unreachable); 2 on bad arguments, with
 * a message naming the option.
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
            out.println();
            out.print(RulesBenchOptions.usage());
            out.println();
            out.print(ThroughputOptions.usage());
            return OK;
        }
        String scenario = CommandLine.scenario(args);
        return switch (scenario) {
            case "ingest" -> run(args, err, BenchOptions::parse, options -> {
                BenchResult result = new BenchRun(options, out).run();
                new Report(out).summary(result);
                if (options.json()) {
                    new Report(out).json(result);
                }
                return result.ok();
            });
            case "rules" -> run(args, err, RulesBenchOptions::parse, options -> {
                RulesBenchResult result = new RulesBenchRun(options, BenchRun.newRunId(), out).run();
                new RulesReport(out).summary(result);
                if (options.json()) {
                    new RulesReport(out).json(result);
                }
                return result.ok();
            });
            case "throughput" -> run(args, err, ThroughputOptions::parse, options -> {
                try {
                    return new ThroughputRun(options, out).run();
                } catch (ExecutionException e) {
                    throw new IOException("Kafka at " + options.bootstrap() + ": " + e.getCause().getMessage(), e);
                }
            });
            default -> {
                err.println("tocsin-bench: " + CommandLine.SCENARIO + ": expected ingest, rules or throughput, got '" + scenario + "'");
                yield BAD_ARGUMENTS;
            }
        };
    }

    /** Reads a scenario's options from the command line. */
    private interface Parser<O> {
        O parse(String[] args) throws BenchOptions.BadOptionException;
    }

    /** Runs a scenario; true when nothing was lost, duplicated or refused. */
    private interface Scenario<O> {
        boolean run(O options) throws IOException, InterruptedException;
    }

    /** The one way every scenario turns its outcome into an exit code and a message on {@code err}. */
    private static <O> int run(String[] args, PrintStream err, Parser<O> parser, Scenario<O> scenario) {
        O options;
        try {
            options = parser.parse(args);
        } catch (BenchOptions.BadOptionException e) {
            err.println("tocsin-bench: " + e.getMessage());
            return BAD_ARGUMENTS;
        }
        try {
            return scenario.run(options) ? OK : FAILED;
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
