package io.tocsin.bench.throughput;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tocsin.bench.AlarmBodies;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * {@code --scenario throughput}: rounds of four phases in the same run, against the same broker — HTTP single,
 * HTTP batched, producer one-by-one, producer streamed — then the median of each and the ratios that matter: HTTP
 * single over producer one-by-one (what the HTTP layer costs when every call waits for Kafka) and HTTP batched over
 * producer streamed. The phases alternate within a round so that drift of a noisy machine hits them alike.
 */
public final class ThroughputRun {

    /** The target for single-record POSTs from 8 clients. */
    static final double TARGET_SINGLE_PER_SECOND = 3_000;
    /** Partitions of the scratch topic: those of Tocsin's raw alarms topic by default ({@code tocsin.kafka.partitions}). */
    static final int PARTITIONS = 3;

    private final ThroughputOptions options;
    private final PrintStream out;

    public ThroughputRun(ThroughputOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the rounds; returns whether every call was acknowledged. */
    public boolean run() throws InterruptedException, ExecutionException {
        AlarmBodies bodies = new AlarmBodies(Long.toString(System.currentTimeMillis(), 36));
        HttpLoad http = new HttpLoad(options.url(), options.ingestToken(), bodies, options.clients());
        Map<String, List<PhaseResult>> phases = new LinkedHashMap<>();
        long failures = 0;
        try (ProducerLoad producer = new ProducerLoad(options.bootstrap(), bodies, options.clients(), PARTITIONS, options.lingerMs())) {
            out.printf(Locale.ROOT, "tocsin-bench throughput: %,d records a phase, %d clients, batch %d, %d repetition(s), producer linger %d ms, %s%n",
                    options.records(), options.clients(), options.batch(), options.repetitions(), options.lingerMs(), options.url());
            if (options.warmup() > 0) {
                failures += http.run("warm-up", options.warmup(), 1).failures();
                failures += http.run("warm-up", options.warmup(), options.batch()).failures();
                failures += producer.oneByOne("warm-up", options.warmup()).failures();
                failures += producer.streamed("warm-up", options.warmup()).failures();
            }
            out.println("rep  phase              records/s   call p50 ms   call p99 ms   failures");
            for (int rep = 1; rep <= options.repetitions(); rep++) {
                List<PhaseResult> round = List.of(
                        http.run("http single", options.records(), 1),
                        http.run("http batched", options.records(), options.batch()),
                        producer.oneByOne("producer 1-by-1", options.records()),
                        producer.streamed("producer stream", options.records()));
                for (PhaseResult phase : round) {
                    phases.computeIfAbsent(phase.name(), k -> new ArrayList<>()).add(phase);
                    failures += phase.failures();
                    out.printf(Locale.ROOT, "%3d  %-17s %10.0f %13.2f %13.2f %10d%n", rep, phase.name(), phase.recordsPerSecond(),
                            phase.p50Millis(), phase.p99Millis(), phase.failures());
                }
            }
        }
        report(phases, failures);
        return failures == 0;
    }

    private void report(Map<String, List<PhaseResult>> phases, long failures) {
        Map<String, Double> medians = new LinkedHashMap<>();
        phases.forEach((name, results) -> medians.put(name, median(results.stream().map(PhaseResult::recordsPerSecond).toList())));
        out.println("median records/s:");
        medians.forEach((name, rate) -> out.printf(Locale.ROOT, "  %-17s %10.0f%n", name, rate));
        double single = medians.getOrDefault("http single", 0.0);
        double batched = medians.getOrDefault("http batched", 0.0);
        double oneByOne = medians.getOrDefault("producer 1-by-1", 0.0);
        double stream = medians.getOrDefault("producer stream", 0.0);
        out.printf(Locale.ROOT, "ratios: http single / producer 1-by-1 = %.2f; http batched / producer stream = %.2f%n",
                single / oneByOne, batched / stream);
        if (options.clients() == 8) {
            out.printf(Locale.ROOT, "target: single-record POSTs from 8 clients >= %.0f/s: %s (%.0f/s)%n", TARGET_SINGLE_PER_SECOND,
                    single >= TARGET_SINGLE_PER_SECOND ? "met" : "missed", single);
        }
        out.println(failures == 0 ? "OK: every call was acknowledged" : "FAILED: " + failures + " call(s) were not acknowledged");
        if (options.json()) {
            ObjectNode json = new ObjectMapper().createObjectNode();
            medians.forEach((name, rate) -> json.put(name.replace(' ', '_'), Math.round(rate)));
            json.put("failures", failures);
            out.println(json);
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? 0 : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
