package io.tocsin.bench;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The bench's command line. Every option is {@code --name value} or {@code --name=value}; flags take no value.
 *
 * <p>Error contract: {@link #parse} throws {@link BadOptionException} whose message starts with the offending
 * option's name ({@code --alarms: ...}), so a user sees at once which argument to fix. Token values are never
 * part of a message.
 *
 * @param url                 Tocsin's base URL, without a trailing slash
 * @param ingestToken         bearer token of {@code POST /api/v1/ingest/alarms}
 * @param adminToken          bearer token of the integrations API (only with {@code createIntegrations})
 * @param alarms              alarms of the measured phase
 * @param rate                alarms per second on an absolute schedule; 0 = as fast as the senders go
 * @param batch               alarms per POST (Tocsin takes at most 1000 per request)
 * @param senders             concurrent senders (each one POST in flight at a time)
 * @param receiverPort        port of the webhook receivers on 127.0.0.1; 0 = ephemeral
 * @param receiverDelay       how long each receiver request waits before it is answered
 * @param failingFor          how long the second receiver path ({@code /failing}) answers {@code failingStatus}; zero = no such path
 * @param failingStatus       the status the failing path answers while failing
 * @param createIntegrations  whether to create (and later delete) one webhook integration per receiver path through the API
 * @param clear               whether each alarm is cleared after its raise (each alarm then yields CREATED and ENDED)
 * @param timeout             how long to wait for outstanding deliveries after the last POST
 * @param linger              how long to keep listening once everything arrived, to catch late duplicates
 * @param warmup              alarms sent and awaited before the measured phase
 * @param json                whether to print a one-line JSON summary as well
 */
public record BenchOptions(URI url, String ingestToken, String adminToken, int alarms, double rate, int batch, int senders,
                           int receiverPort, Duration receiverDelay, Duration failingFor, int failingStatus,
                           boolean createIntegrations, boolean clear, Duration timeout, Duration linger, int warmup,
                           boolean json) {

    /** Tocsin's own limit ({@code IngestController.MAX_ALARMS_PER_REQUEST}). */
    static final int MAX_BATCH = 1000;
    /** Bounds the per-alarm bookkeeping (a few tens of bytes per alarm). */
    static final int MAX_ALARMS = 10_000_000;

    private static final Set<String> FLAGS = Set.of("--create-integrations", "--clear", "--json");
    private static final Set<String> VALUED = Set.of("--url", "--ingest-token", "--admin-token", "--alarms", "--rate",
            "--batch", "--senders", "--receiver-port", "--receiver-delay", "--failing-for", "--failing-status", "--timeout",
            "--linger", "--warmup", CommandLine.SCENARIO);

    /** Whether the failing receiver path is part of this run. */
    public boolean hasFailingPath() {
        return !failingFor.isZero();
    }

    /**
     * Parses {@code args} (the ingest scenario; {@code --scenario ingest} may be given).
     *
     * @throws BadOptionException naming the option on an unknown option, a missing or malformed value, a value out
     *                            of range, or a missing required option
     */
    public static BenchOptions parse(String... args) throws BadOptionException {
        Map<String, String> options = CommandLine.split(args, FLAGS, VALUED);
        CommandLine.requireScenario(options, "ingest");
        Builder b = new Builder();
        for (Map.Entry<String, String> option : options.entrySet()) {
            b.set(option.getKey(), option.getValue());
        }
        return b.build(options.keySet());
    }

    /** Accumulates option values, then checks the combinations. */
    private static final class Builder {
        URI url = URI.create("http://localhost:8080");
        String ingestToken;
        String adminToken;
        int alarms = 10_000;
        double rate;
        int batch = 1;
        int senders = 8;
        int receiverPort;
        Duration receiverDelay = Duration.ZERO;
        Duration failingFor = Duration.ZERO;
        int failingStatus = 503;
        boolean createIntegrations;
        boolean clear;
        Duration timeout = Duration.ofSeconds(120);
        Duration linger = Duration.ofSeconds(1);
        int warmup;
        boolean json;

        void set(String name, String value) throws BadOptionException {
            switch (name) {
                case "--url" -> url = CommandLine.url(name, value);
                case "--ingest-token" -> ingestToken = CommandLine.token(name, value);
                case "--admin-token" -> adminToken = CommandLine.token(name, value);
                case "--alarms" -> alarms = CommandLine.integer(name, value, 1, MAX_ALARMS);
                case "--rate" -> rate = CommandLine.decimal(name, value, 0, 10_000_000, "alarms per second, 0 (as fast as possible) up to 10000000");
                case "--batch" -> batch = CommandLine.integer(name, value, 1, MAX_BATCH);
                case "--senders" -> senders = CommandLine.integer(name, value, 1, 1024);
                case "--receiver-port" -> receiverPort = CommandLine.integer(name, value, 0, 65_535);
                case "--receiver-delay" -> receiverDelay = CommandLine.duration(name, value);
                case "--failing-for" -> failingFor = CommandLine.duration(name, value);
                case "--failing-status" -> failingStatus = CommandLine.integer(name, value, 400, 599);
                case "--create-integrations" -> createIntegrations = true;
                case "--clear" -> clear = true;
                case "--timeout" -> timeout = CommandLine.duration(name, value);
                case "--linger" -> linger = CommandLine.duration(name, value);
                case "--warmup" -> warmup = CommandLine.integer(name, value, 0, MAX_ALARMS);
                case "--json" -> json = true;
                case CommandLine.SCENARIO -> { } // checked by CommandLine.requireScenario
                default -> throw new IllegalStateException("option table and switch disagree on " + name);
            }
        }

        BenchOptions build(Set<String> seen) throws BadOptionException {
            if (ingestToken == null) {
                throw new BadOptionException("--ingest-token: is required (Tocsin prints it at its first start)");
            }
            if (createIntegrations && adminToken == null) {
                throw new BadOptionException("--admin-token: is required with --create-integrations");
            }
            if (seen.contains("--failing-status") && failingFor.isZero()) {
                throw new BadOptionException("--failing-status: only applies with --failing-for");
            }
            if (timeout.isZero()) {
                throw new BadOptionException("--timeout: must be more than 0");
            }
            if ((long) alarms + warmup > MAX_ALARMS) {
                throw new BadOptionException("--warmup: --alarms plus --warmup must not exceed " + MAX_ALARMS);
            }
            return new BenchOptions(url, ingestToken, adminToken, alarms, rate, batch, senders, receiverPort, receiverDelay,
                    failingFor, failingStatus, createIntegrations, clear, timeout, linger, warmup, json);
        }
    }

    /** The {@code --help} text. */
    public static String usage() {
        return """
                Usage: java -jar tocsin-bench.jar --ingest-token TOKEN [options]

                Sends alarms to a running Tocsin, receives its webhook deliveries, and reports throughput, losses,
                duplicates and end-to-end latency. See docs/BENCH.md.

                  --url URL               Tocsin's base URL (default http://localhost:8080)
                  --ingest-token T        ingest API token (required)
                  --admin-token T         admin API token (required with --create-integrations)
                  --alarms N              alarms to measure (default 10000)
                  --rate R                alarms per second on a fixed schedule; 0 = as fast as possible (default 0)
                  --batch B               alarms per POST, 1 to 1000 (default 1)
                  --senders S             concurrent senders (default 8)
                  --clear                 also clear each alarm after its raise (CREATED and ENDED per alarm)
                  --receiver-port P       receivers' port on 127.0.0.1; 0 = ephemeral (default 0)
                  --receiver-delay D      each receiver request answers after D (default 0)
                  --failing-for D         add a /failing receiver path answering --failing-status for D, then 200
                  --failing-status S      status of the failing path, 400 to 599 (default 503)
                  --create-integrations   create one webhook integration per receiver path through the API, delete at the end
                  --timeout D             wait for deliveries this long after the last POST (default 120s)
                  --linger D              keep listening this long once all arrived, to catch late duplicates (default 1s)
                  --warmup N              alarms sent and awaited before measuring (default 0)
                  --json                  also print a one-line JSON summary
                Durations: 50ms, 60s, 2m. Exit code: 0 nothing lost, duplicated or refused; 1 otherwise; 2 bad arguments.
                """;
    }

    /** A bad command line; the message starts with the option's name. */
    public static final class BadOptionException extends Exception {
        public BadOptionException(String message) {
            super(message);
        }
    }
}
