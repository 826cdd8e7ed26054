package io.tocsin.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Everything the bench prints: the header, the progress lines, the summary and the JSON line. */
final class Report {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;

    Report(PrintStream out) {
        this.out = out;
    }

    /** What is about to be measured, and how latency is measured. */
    void header(String runId, BenchOptions o, WebhookReceivers receivers) {
        out.printf(Locale.ROOT, "tocsin-bench run %s against %s: %d alarms%s, batch %d, %d senders, %s%s%n", runId, o.url(),
                o.alarms(), o.warmup() > 0 ? " after " + o.warmup() + " warm-up alarms" : "", o.batch(), o.senders(),
                o.rate() > 0 ? fmt(o.rate()) + " alarms/s" : "as fast as possible", o.clear() ? ", each alarm cleared after its raise" : "");
        if (o.rate() > 0) {
            out.println("  rate mode: absolute schedule (alarm n is due at start + n/rate); latency is measured from the SCHEDULED"
                    + " send time, so falling behind shows as latency (no coordinated omission)");
        } else {
            out.println("  latency is measured from the start of the POST that carried the alarm (its clear, for ENDED)");
        }
        for (String path : receivers.paths()) {
            out.printf(Locale.ROOT, "  receiver %-8s %s (answers after %d ms%s)%n", path, receivers.url(path), o.receiverDelay().toMillis(),
                    WebhookReceivers.FAILING.equals(path) ? "; HTTP " + o.failingStatus() + " for the first " + o.failingFor().toSeconds()
                            + " s of the measurement, then 200" : "");
        }
    }

    /** The configuration a Tocsin needs when the bench does not create its integrations itself. */
    void declaredIntegrationsHint(WebhookReceivers receivers, boolean ephemeralPort) {
        out.println("  integrations: not created (no --create-integrations); Tocsin must deliver to the receivers, e.g. started with");
        for (String path : receivers.paths()) {
            out.printf("    -Dtocsin.dispatcher.integrations.bench-%s.service=webhook -Dtocsin.dispatcher.integrations.bench-%s.url=%s%n",
                    path, path, receivers.url(path));
        }
        if (ephemeralPort) {
            out.println("  note: the receiver port is ephemeral; use --receiver-port to keep these URLs the same from run to run");
        }
    }

    /** One line a second: {@code t=3s sent=3000 accepted=3000 errors=0 | healthy delivered=2950 dup=0}. */
    void progress(Phase phase, long elapsedSeconds) {
        IngestStats in = phase.ingest();
        StringBuilder line = new StringBuilder()
                .append(phase.name().equals("measure") ? "" : phase.name() + " ")
                .append("t=").append(elapsedSeconds).append("s sent=").append(in.sent())
                .append(" accepted=").append(in.acceptedRaises());
        if (in.acceptedClears() > 0) {
            line.append(" cleared=").append(in.acceptedClears());
        }
        line.append(" errors=").append(in.errorCount());
        for (DeliveryStats path : phase.paths()) {
            line.append(" | ").append(path.path()).append(" delivered=").append(path.distinct())
                    .append('/').append(in.owedDeliveries()).append(" dup=").append(path.duplicates());
            if (path.refusedCount() > 0) {
                line.append(" refused=").append(path.refusedCount());
            }
        }
        out.println(line);
    }

    /** The summary: ingest figures, then one block per receiver path. */
    void summary(BenchResult result) {
        BenchResult.Ingest in = result.ingest();
        out.println();
        out.printf(Locale.ROOT, "ingest   sent %d alarms in %d POSTs (%.3f s); accepted %d raises + %d clears = %s accepted/s%n",
                in.sent(), in.posts(), in.sendingSeconds(), in.acceptedRaises(), in.acceptedClears(), fmt(in.acceptedPerSecond()));
        out.printf(Locale.ROOT, "         POST latency ms p50 %s  p99 %s  max %s;  errors %s%n", fmt(in.post().p50()), fmt(in.post().p99()),
                fmt(in.post().max()), in.errors().isEmpty() ? "none" : errors(in.errors()));
        for (BenchResult.PathResult p : result.paths()) {
            out.printf(Locale.ROOT, "%-8s %s%n", p.path(), p.url());
            out.printf(Locale.ROOT, "         expected %d  received %d  lost %d  duplicated %d (same webhook-id %d)%s%s%n", p.expected(),
                    p.received(), p.lost(), p.duplicated(), p.duplicatedSameId(),
                    p.unexpected() > 0 ? "  unexpected " + p.unexpected() : "", p.refused() > 0 ? "  refused while failing " + p.refused() : "");
            out.printf(Locale.ROOT, "         delivered/s %s;  latency ms p50 %s  p99 %s  p99.9 %s  max %s%n", fmt(p.deliveredPerSecond()),
                    fmt(p.latency().p50()), fmt(p.latency().p99()), fmt(p.latency().p999()), fmt(p.latency().max()));
        }
        if (result.foreign() > 0) {
            out.printf("other    %d receiver requests were not this run's measured deliveries (ignored)%n", result.foreign());
        }
        out.println(result.ok() ? "OK: nothing lost or duplicated, every POST accepted" : "FAILED: see lost, duplicated and ingest errors above");
    }

    /** The whole result as one JSON line. */
    void json(BenchResult result) {
        try {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("ok", result.ok());
            line.put("result", result);
            out.println(JSON.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the result records always serialise", e);
        }
    }

    private static String errors(Map<String, Long> errors) {
        return errors.entrySet().stream().map(e -> (e.getKey().chars().allMatch(Character::isDigit) ? "HTTP " : "")
                + e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    /** One decimal above 10, three below: readable and still precise for sub-millisecond latencies. */
    static String fmt(double value) {
        return String.format(Locale.ROOT, value >= 10 ? "%.1f" : "%.3f", value);
    }
}
