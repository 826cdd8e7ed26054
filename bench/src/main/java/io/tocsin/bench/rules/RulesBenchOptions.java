package io.tocsin.bench.rules;

import io.tocsin.bench.BenchOptions.BadOptionException;
import io.tocsin.bench.CommandLine;
import io.tocsin.schema.topics.TopicCatalogue;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The command line of {@code --scenario rules} (docs/BENCH.md). Same grammar as the ingest scenario
 * ({@link CommandLine}).
 *
 * <p>Error contract: {@link #parse} throws {@link BadOptionException} whose message starts with the offending
 * option's name; an option of the ingest scenario is refused as unknown.
 *
 * @param bootstrap       Kafka bootstrap servers of the Tocsin under test
 * @param topicPrefix     Tocsin's topic prefix ({@code tocsin.kafka.topic-prefix})
 * @param rulesGroup      the rules service's Streams application id, i.e. its consumer group
 * @param samples         metric samples a phase sends (rounded up to whole rounds of 5 per host)
 * @param hosts           hosts the samples are spread over
 * @param rawAlarms       raw alarms a phase raises and clears
 * @param crossingPercent how often a series crosses its threshold: once every {@code 100 / percent} rounds; 0 = never
 * @param repetitions     copy + rules pairs measured
 * @param rate            records per second on an absolute schedule; 0 = as fast as the producer goes
 * @param warmup          samples of an unmeasured warm-up phase for each side (raw alarms when {@code samples} is 0); 0 = none
 * @param timeout         how long a phase may take after its last send to be committed and its events to appear
 * @param linger          how long to keep watching once every owed event appeared, to catch late duplicates
 * @param json            whether to print a one-line JSON summary as well
 */
public record RulesBenchOptions(String bootstrap, String topicPrefix, String rulesGroup, int samples, int hosts, int rawAlarms,
                                double crossingPercent, int repetitions, double rate, int warmup, Duration timeout,
                                Duration linger, boolean json) {

    static final int MAX_SAMPLES = 100_000_000;
    static final int MAX_HOSTS = 1_000_000;
    static final int MAX_RAW_ALARMS = 10_000_000;

    private static final Set<String> FLAGS = Set.of("--json");
    private static final Set<String> VALUED = Set.of(CommandLine.SCENARIO, "--bootstrap", "--topic-prefix", "--rules-group",
            "--samples", "--hosts", "--raw-alarms", "--crossing-percent", "--repetitions", "--rate", "--warmup", "--timeout",
            "--linger");

    /** A series crosses once every this many rounds; 0 = never. */
    int crossingEvery() {
        return crossingPercent == 0 ? 0 : Math.max(2, (int) Math.round(100 / crossingPercent));
    }

    /** Rounds of samples a phase of {@code samples} samples takes: every host sends 5 samples a round. */
    int rounds(int samples) {
        return (int) ((samples + 5L * hosts - 1) / (5L * hosts));
    }

    /** Samples of the warm-up phase: {@code --warmup}, or none when the phases send raw alarms only. */
    int warmupSamples() {
        return samples == 0 ? 0 : warmup;
    }

    /** Raw alarms of the warm-up phase: in proportion to its samples, or {@code --warmup} of them without samples. */
    int warmupRawAlarms() {
        return samples == 0 ? Math.min(rawAlarms, warmup) : (int) ((long) rawAlarms * warmup / samples);
    }

    /**
     * Parses {@code args}, which must select this scenario with {@code --scenario rules}.
     *
     * @throws BadOptionException naming the option on an unknown option, a missing or malformed value, a value out
     *                            of range, or a missing required option
     */
    public static RulesBenchOptions parse(String... args) throws BadOptionException {
        Map<String, String> options = CommandLine.split(args, FLAGS, VALUED);
        CommandLine.requireScenario(options, "rules");
        String bootstrap = null;
        String topicPrefix = TopicCatalogue.DEFAULT_PREFIX;
        String rulesGroup = "tocsin-rules";
        int samples = 100_000;
        int hosts = 100;
        int rawAlarms = 1_000;
        double crossingPercent = 1;
        int repetitions = 3;
        double rate = 0;
        int warmup = 0;
        Duration timeout = Duration.ofSeconds(120);
        Duration linger = Duration.ofSeconds(1);
        boolean json = false;
        for (Map.Entry<String, String> option : options.entrySet()) {
            String name = option.getKey();
            String value = option.getValue();
            switch (name) {
                case CommandLine.SCENARIO -> { } // checked above
                case "--bootstrap" -> bootstrap = bootstrap(name, value);
                case "--topic-prefix" -> topicPrefix = topicPrefix(name, value);
                case "--rules-group" -> rulesGroup = groupName(name, value);
                case "--samples" -> samples = CommandLine.integer(name, value, 0, MAX_SAMPLES);
                case "--hosts" -> hosts = CommandLine.integer(name, value, 1, MAX_HOSTS);
                case "--raw-alarms" -> rawAlarms = CommandLine.integer(name, value, 0, MAX_RAW_ALARMS);
                case "--crossing-percent" -> crossingPercent = CommandLine.decimal(name, value, 0, 50,
                        "a percentage from 0 (no sample crosses a threshold) to 50");
                case "--repetitions" -> repetitions = CommandLine.integer(name, value, 1, 100);
                case "--rate" -> rate = CommandLine.decimal(name, value, 0, 10_000_000,
                        "records per second, 0 (as fast as possible) up to 10000000");
                case "--warmup" -> warmup = CommandLine.integer(name, value, 0, MAX_SAMPLES);
                case "--timeout" -> timeout = CommandLine.duration(name, value);
                case "--linger" -> linger = CommandLine.duration(name, value);
                case "--json" -> json = true;
                default -> throw new IllegalStateException("option table and switch disagree on " + name);
            }
        }
        if (bootstrap == null) {
            throw new BadOptionException("--bootstrap: is required (the Kafka of the Tocsin under test; the standalone's is localhost:9092)");
        }
        if (samples == 0 && rawAlarms == 0) {
            throw new BadOptionException("--samples: --samples and --raw-alarms are both 0: nothing to measure");
        }
        if (crossingPercent > 0 && crossingPercent < 0.01) {
            throw new BadOptionException("--crossing-percent: below 0.01 (once in 10,000 rounds) use 0");
        }
        if (timeout.isZero()) {
            throw new BadOptionException("--timeout: must be more than 0");
        }
        return new RulesBenchOptions(bootstrap, topicPrefix, rulesGroup, samples, hosts, rawAlarms, crossingPercent, repetitions,
                rate, warmup, timeout, linger, json);
    }

    private static String bootstrap(String name, String value) throws BadOptionException {
        for (String server : value.split(",", -1)) {
            int colon = server.lastIndexOf(':');
            boolean valid = colon > 0 && server.substring(0, colon).chars().noneMatch(Character::isWhitespace);
            if (valid) {
                try {
                    int port = Integer.parseInt(server.substring(colon + 1));
                    valid = port > 0 && port <= 65_535;
                } catch (NumberFormatException e) {
                    valid = false;
                }
            }
            if (!valid) {
                throw new BadOptionException(name + ": expected host:port[,host:port...], like localhost:9092, got '" + value + "'");
            }
        }
        return value;
    }

    private static String topicPrefix(String name, String value) throws BadOptionException {
        try {
            new TopicCatalogue(value);
            return value;
        } catch (IllegalArgumentException e) {
            throw new BadOptionException(name + ": " + e.getMessage());
        }
    }

    private static String groupName(String name, String value) throws BadOptionException {
        if (value.isBlank() || value.length() > 249 || value.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new BadOptionException(name + ": expected a consumer group name (printable, no spaces, at most 249 characters), got '"
                    + value + "'");
        }
        return value;
    }

    /** The {@code --help} text of this scenario. */
    public static String usage() {
        return """
                Usage: java -jar tocsin-bench.jar --scenario rules --bootstrap HOST:PORT [options]

                Writes metric samples and raw alarms straight into Tocsin's Kafka topics while the rules service runs,
                and reports its classification throughput (input records committed per second) and processing latency
                (alarm event on tocsin.alarm-events - send of the record that caused it) beside a plain
                consume -> produce copy of the same records on the same broker. See docs/BENCH.md.

                  --bootstrap H:P         Kafka bootstrap servers of the Tocsin under test (required)
                  --topic-prefix P        Tocsin's topic prefix (default tocsin.)
                  --rules-group G         the rules service's consumer group = Streams application id (default tocsin-rules)
                  --samples N             metric samples per phase, rounded up to whole rounds of 5 per host (default 100000)
                  --hosts H               hosts the samples come from (default 100)
                  --raw-alarms M          raw alarms per phase, each raised and cleared (default 1000)
                  --crossing-percent P    a series crosses its threshold once every 100/P rounds, 0 to 50 (default 1)
                  --repetitions R         copy + rules pairs measured; medians reported (default 3)
                  --rate R                records per second on a fixed schedule; 0 = as fast as possible (default 0)
                  --warmup N              samples (raw alarms with --samples 0) of an unmeasured warm-up on each side (default 0)
                  --timeout D             how long a phase may take after its last send (default 120s)
                  --linger D              keep watching this long once all events arrived, for late duplicates (default 1s)
                  --json                  also print a one-line JSON summary
                Exit code: 0 every phase completed, no owed event lost, duplicated or unexpected; 1 otherwise; 2 bad arguments.
                """;
    }
}
