package io.tocsin.bench;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
            "--linger", "--warmup");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");

    /** Whether the failing receiver path is part of this run. */
    public boolean hasFailingPath() {
        return !failingFor.isZero();
    }

    /**
     * Parses {@code args}.
     *
     * @throws BadOptionException naming the option on an unknown option, a missing or malformed value, a value out
     *                            of range, or a missing required option
     */
    public static BenchOptions parse(String... args) throws BadOptionException {
        Builder b = new Builder();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            if (FLAGS.contains(name)) {
                if (value != null) {
                    throw new BadOptionException(name + ": is a flag and takes no value");
                }
            } else if (VALUED.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        throw new BadOptionException(name + ": needs a value");
                    }
                    value = args[++i];
                }
            } else {
                throw new BadOptionException(name + ": unknown option (see --help)");
            }
            if (!seen.add(name)) {
                throw new BadOptionException(name + ": given twice");
            }
            b.set(name, value);
        }
        return b.build(seen);
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
                case "--url" -> url = url(name, value);
                case "--ingest-token" -> ingestToken = token(name, value);
                case "--admin-token" -> adminToken = token(name, value);
                case "--alarms" -> alarms = integer(name, value, 1, MAX_ALARMS);
                case "--rate" -> rate = rate(name, value);
                case "--batch" -> batch = integer(name, value, 1, MAX_BATCH);
                case "--senders" -> senders = integer(name, value, 1, 1024);
                case "--receiver-port" -> receiverPort = integer(name, value, 0, 65_535);
                case "--receiver-delay" -> receiverDelay = duration(name, value);
                case "--failing-for" -> failingFor = duration(name, value);
                case "--failing-status" -> failingStatus = integer(name, value, 400, 599);
                case "--create-integrations" -> createIntegrations = true;
                case "--clear" -> clear = true;
                case "--timeout" -> timeout = duration(name, value);
                case "--linger" -> linger = duration(name, value);
                case "--warmup" -> warmup = integer(name, value, 0, MAX_ALARMS);
                case "--json" -> json = true;
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

    static URI url(String name, String value) throws BadOptionException {
        try {
            URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below, with the same message as any other malformed URL
        }
        throw new BadOptionException(name + ": expected an http:// or https:// URL with a host, like http://localhost:8080, got '"
                + value + "'");
    }

    static String token(String name, String value) throws BadOptionException {
        if (value.isBlank() || value.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            // The value is deliberately not echoed: it is a credential.
            throw new BadOptionException(name + ": must be a non-empty token of printable characters without spaces");
        }
        return value;
    }

    static int integer(String name, String value, int min, int max) throws BadOptionException {
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadOptionException(name + ": expected a whole number from " + min + " to " + max + ", got '" + value + "'");
    }

    static double rate(String name, String value) throws BadOptionException {
        try {
            double parsed = Double.parseDouble(value.trim());
            if (parsed >= 0 && parsed <= 10_000_000 && !Double.isNaN(parsed)) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadOptionException(name + ": expected alarms per second, 0 (as fast as possible) up to 10000000, got '" + value + "'");
    }

    static Duration duration(String name, String value) throws BadOptionException {
        if (value.trim().equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            throw new BadOptionException(name + ": expected a duration like 50ms, 60s or 2m, got '" + value + "'");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
        };
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
