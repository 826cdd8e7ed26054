package io.tocsin.bench.throughput;

import io.tocsin.bench.BenchOptions.BadOptionException;
import io.tocsin.bench.CommandLine;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * The command line of {@code --scenario throughput} (docs/BENCH.md): HTTP ingest throughput of a running collector
 * beside the broker's own producer throughput for the same records. Same grammar as the other scenarios.
 *
 * <p>Error contract: {@link #parse} throws {@link BadOptionException} whose message starts with the offending
 * option's name; token values never appear in a message.
 *
 * @param url          base URL of the collector (or the standalone), e.g. http://localhost:8080
 * @param ingestToken  the ingest token
 * @param bootstrap    Kafka bootstrap servers of the broker the collector writes to (for the producer baseline)
 * @param records      records each measured phase sends
 * @param clients      concurrent HTTP clients (and producer threads of the one-by-one baseline), each with one
 *                     request in flight
 * @param batch        records per request of the batched phase
 * @param repetitions  rounds of all four phases
 * @param warmup       records of an unmeasured warm-up of each phase kind before the first round
 * @param lingerMs     {@code linger.ms} of the baseline producer: the collector's ingest producer's (0 by default)
 * @param json         whether to print a one-line JSON summary as well
 */
public record ThroughputOptions(URI url, String ingestToken, String bootstrap, int records, int clients, int batch,
                                int repetitions, int warmup, int lingerMs, boolean json) {

    private static final Set<String> FLAGS = Set.of("--json");
    private static final Set<String> VALUED = Set.of(CommandLine.SCENARIO, "--url", "--ingest-token", "--bootstrap",
            "--records", "--clients", "--batch", "--repetitions", "--warmup", "--linger-ms");

    public static ThroughputOptions parse(String... args) throws BadOptionException {
        Map<String, String> options = CommandLine.split(args, FLAGS, VALUED);
        CommandLine.requireScenario(options, "throughput");
        URI url = URI.create("http://localhost:8080");
        String token = null;
        String bootstrap = null;
        int records = 20_000;
        int clients = 8;
        int batch = 100;
        int repetitions = 3;
        int warmup = 5_000;
        int lingerMs = 0;
        boolean json = false;
        for (Map.Entry<String, String> option : options.entrySet()) {
            String name = option.getKey();
            String value = option.getValue();
            switch (name) {
                case CommandLine.SCENARIO -> { } // checked above
                case "--url" -> url = CommandLine.url(name, value);
                case "--ingest-token" -> token = CommandLine.token(name, value);
                case "--bootstrap" -> bootstrap = value;
                case "--records" -> records = CommandLine.integer(name, value, 1, 10_000_000);
                case "--clients" -> clients = CommandLine.integer(name, value, 1, 1_024);
                case "--batch" -> batch = CommandLine.integer(name, value, 2, 1_000);
                case "--repetitions" -> repetitions = CommandLine.integer(name, value, 1, 100);
                case "--warmup" -> warmup = CommandLine.integer(name, value, 0, 10_000_000);
                case "--linger-ms" -> lingerMs = CommandLine.integer(name, value, 0, 1_000);
                case "--json" -> json = true;
                default -> throw new IllegalStateException("option table and switch disagree on " + name);
            }
        }
        if (token == null) {
            throw new BadOptionException("--ingest-token: is required (the standalone prints it at first start)");
        }
        if (bootstrap == null || !bootstrap.matches("[^\\s,:]+:\\d{1,5}(,[^\\s,:]+:\\d{1,5})*")) {
            throw new BadOptionException("--bootstrap: expected host:port[,host:port...] of the broker the collector writes to, like localhost:9092");
        }
        return new ThroughputOptions(url, token, bootstrap, records, clients, batch, repetitions, warmup, lingerMs, json);
    }

    public static String usage() {
        return """
                tocsin-bench --scenario throughput --ingest-token TOKEN --bootstrap HOST:PORT [options]
                  HTTP ingest throughput (records/s) beside the broker's producer throughput for the same records:
                    http single      CLIENTS clients, one alarm per POST, each waits for its 202
                    http batched     CLIENTS clients, BATCH alarms per POST
                    producer 1-by-1  CLIENTS threads, one record per send, each waits for its acknowledgement
                    producer stream  one producer, every record sent at once, then flushed
                  --url URL            collector or standalone base URL (default http://localhost:8080)
                  --bootstrap H:P      the broker the collector writes to (the producer baseline writes to a scratch topic)
                  --records N          records per measured phase (default 20000)
                  --clients N          concurrent clients / producer threads (default 8)
                  --batch N            alarms per request of the batched phase (default 100)
                  --repetitions N      rounds of the four phases; medians are reported (default 3)
                  --warmup N           records of an unmeasured warm-up per phase kind (default 5000)
                  --linger-ms N        linger.ms of the baseline producer (default 0, the collector's ingest default)
                  --json               also print a one-line JSON summary
                """;
    }
}
