package io.tocsin.bench.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.TopicDescription;

/** Everything {@code --scenario rules} prints: the header, progress lines, one line per phase, the table, the JSON line. */
public final class RulesReport {

    /** The target: classification throughput at least half the plain copy's. */
    static final double TARGET_RATIO = 0.5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;

    public RulesReport(PrintStream out) {
        this.out = out;
    }

    void header(String runId, RulesBenchOptions o, Workload w, TopicDescription metrics, TopicDescription alarms, String group) {
        out.printf(Locale.ROOT, "tocsin-bench rules run %s against %s: rules group %s, input %s (%d partitions) and %s (%d partitions)%n",
                runId, o.bootstrap(), o.rulesGroup(), metrics.name(), metrics.partitions().size(), alarms.name(), alarms.partitions().size());
        out.println("  " + group);
        out.printf(Locale.ROOT, "  each phase: %d samples (%d rounds x %d hosts x 5 series) + %d raw alarms raised and cleared = %d records, %s%n",
                w.samples(), w.rounds(), w.hosts(), w.rawAlarms(), w.records(),
                o.rate() > 0 ? String.format(Locale.ROOT, "%.1f records/s on a fixed schedule (latency from the due time)", o.rate())
                        : "as fast as the producer goes");
        out.printf(Locale.ROOT, "  owed by each rules phase: %d metric events (%d crossings x CREATED + ENDED; %s) + %d raw alarm events"
                        + " = %d alarm events%n", w.metricEvents(), w.crossingSamples(), o.crossingEvery() == 0 ? "no sample crosses a threshold"
                        : "a series crosses once every " + o.crossingEvery() + " rounds", 2L * w.rawAlarms(), w.owedEvents());
        out.printf(Locale.ROOT, "  %d repetition(s) of copy + rules, copy first on odd repetitions and rules first on even ones%s%n",
                o.repetitions(), o.warmup() > 0 ? ", after a warm-up of " + o.warmup() + " samples on each side" : "");
        out.println("  throughput: records / (first send -> the side's consumer group has committed the end of its input);"
                + " latency: alarm event on the alarm-events topic (read_committed) - send of the record that caused it");
    }

    void copyTopics(CopyBaseline copy) {
        out.printf("  copy baseline: %s + %s -> %s, group %s (read_committed consumer, acks=all producer, commit after each batch)%n",
                copy.metricsTopic(), copy.alarmsTopic(), copy.outTopic(), copy.group());
    }

    /** {@code rep 2 rules t=3s sent=60000/102000 events=800/3600}; no events part for the copy. */
    void progress(String label, String side, long seconds, long sent, long records, long events, long owed) {
        out.printf(Locale.ROOT, "%s %s t=%ds sent=%d/%d%s%n", label, side, seconds, sent, records, events < 0 ? "" : " events=" + events + "/" + owed);
    }

    void phaseDone(String label, RulesBenchResult.Phase p, OwedEvents owed) {
        out.printf(Locale.ROOT, "%s %-5s %d records sent in %.3f s (%.0f/s); %s%s%n", label, p.side(), p.records(), p.sendSeconds(),
                p.sentPerSecond(), p.completed() ? String.format(Locale.ROOT, "input committed after %.3f s: %.0f records/s",
                        p.completedSeconds(), p.recordsPerSecond()) : "input NOT committed within --timeout",
                owed == null ? "" : String.format(Locale.ROOT, "; events %d/%d, duplicated %d, unexpected %d", owed.matched(), owed.owed(),
                        owed.duplicated(), owed.unexpected()));
    }

    void cleanedUp(CopyBaseline copy, String failure) {
        if (failure != null) {
            out.printf("  the copy baseline's topics (%s, %s, %s) or group (%s) were NOT deleted: %s%n", copy.metricsTopic(),
                    copy.alarmsTopic(), copy.outTopic(), copy.group(), failure);
        }
    }

    /** The table: one row per repetition, then the medians, the target and the verdict. */
    public void summary(RulesBenchResult result) {
        out.println();
        out.println("rep  first  copy rec/s  rules rec/s  rules/copy  latency ms p50     p99     max   owed  appeared  lost  dup  unexpected");
        for (RulesBenchResult.Repetition r : result.repetitions()) {
            RulesBenchResult.Events e = r.events();
            out.printf(Locale.ROOT, "%-4d %-6s %10s %12s %11s %17.1f %7.1f %7.1f %6d %9d %5d %4d %11d%n", r.number(), r.first(),
                    rate(r.copy()), rate(r.rules()), r.ratio() > 0 ? percent(r.ratio()) : "-", e.latency().p50(), e.latency().p99(),
                    e.latency().max(), e.owed(), e.appeared(), e.lost(), e.duplicated(), e.unexpected());
        }
        RulesBenchResult.Medians m = result.medians();
        out.printf(Locale.ROOT, "%-11s %10.0f %12.0f %11s %17.1f %7.1f%n", "median", m.copyPerSecond(), m.rulesPerSecond(),
                m.of() > 0 ? percent(m.ratio()) : "-", m.latencyP50(), m.latencyP99());
        if (m.of() > 0) {
            out.printf(Locale.ROOT, "rules    median %.0f records/s, of which %.0f samples/s (the rest are raw alarm raises and clears)%n",
                    m.rulesPerSecond(), m.rulesSamplesPerSecond());
        }
        if (m.of() > 0 && result.rate() > 0) {
            out.println("target: not judged: with --rate both sides are held to the offered rate, so the ratio says whether the rules"
                    + " service keeps up, not how fast it can go (run without --rate for the throughput target)");
        } else if (m.of() > 0) {
            out.printf(Locale.ROOT, "target: classification throughput at least %s of the copy's: %s (median of %d repetition(s): %s)%n",
                    percent(TARGET_RATIO), m.ratio() >= TARGET_RATIO ? "met" : "MISSED", m.of(), percent(m.ratio()));
        }
        if (result.foreign() > 0 || result.undecodable() > 0) {
            out.printf("other    %d alarm events no phase owed (other producers; heartbeat alarms of earlier phases' hosts), %d undecodable records%n",
                    result.foreign(), result.undecodable());
        }
        result.problems().forEach(problem -> out.println("problem: " + problem));
        out.println(result.ok() ? "OK: every phase completed; every owed alarm event appeared once, nothing unexpected"
                : "FAILED: see the problems, lost, duplicated and unexpected events above");
    }

    public void json(RulesBenchResult result) {
        try {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("ok", result.ok());
            line.put("result", result);
            out.println(JSON.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the result records always serialise", e);
        }
    }

    private static String rate(RulesBenchResult.Phase p) {
        return p.completed() ? String.format(Locale.ROOT, "%.0f", p.recordsPerSecond()) : "timeout";
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f %%", ratio * 100);
    }
}
