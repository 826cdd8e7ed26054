package io.tocsin.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One bench run: start the receivers, create the integrations (with {@code --create-integrations}), send and
 * await the warm-up, then send the measured alarms, wait for their deliveries up to {@code --timeout} after the
 * last POST (plus {@code --linger} to catch late duplicates), and compute the {@link BenchResult}. Integrations
 * it created are deleted and the receivers stopped however the run ends.
 *
 * <p>Error contract: {@link #run} throws {@link IOException} when the receivers cannot listen or an integration
 * cannot be created (nothing was measured); a run that measured something returns its result, good or bad.
 */
final class BenchRun {

    private static final Duration POLL = Duration.ofMillis(100);

    private final BenchOptions options;
    private final PrintStream out;
    private final Report report;
    private final String runId;

    BenchRun(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.report = new Report(out);
        this.runId = newRunId();
    }

    /** Six base-36 characters: short enough to read, random enough that runs do not meet. */
    static String newRunId() {
        long sixDigits = 36L * 36 * 36 * 36 * 36;
        return Long.toString(sixDigits + Math.floorMod(new SecureRandom().nextLong(), 35 * sixDigits), 36);
    }

    String runId() {
        return runId;
    }

    BenchResult run() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        Map<String, String> created = new LinkedHashMap<>();
        IntegrationsApi api = options.createIntegrations() ? new IntegrationsApi(http, options.url(), options.adminToken()) : null;
        try (WebhookReceivers receivers = new WebhookReceivers(options.receiverPort(), runId, options.receiverDelay(),
                options.hasFailingPath(), options.failingStatus())) {
            report.header(runId, options, receivers);
            try {
                if (api != null) {
                    for (String path : receivers.paths()) {
                        String name = "bench-" + path + "-" + runId;
                        created.put(name, api.create(name, receivers.url(path)));
                        out.println("  integration " + name + " created, id " + created.get(name));
                    }
                } else {
                    report.declaredIntegrationsHint(receivers, options.receiverPort() == 0);
                }
                IngestSender sender = new IngestSender(http, options, new AlarmBodies(runId));
                if (options.warmup() > 0) {
                    Phase warmup = new Phase("warmup", 0, options.warmup(), receivers.paths());
                    runPhase(warmup, sender, receivers, Duration.ZERO);
                }
                Phase measure = new Phase("measure", options.warmup(), options.alarms(), receivers.paths());
                runPhase(measure, sender, receivers, options.failingFor());
                if (sender.tokenRefused()) {
                    out.println("  Tocsin refused the ingest token: sending stopped early");
                }
                return BenchResult.of(runId, measure, receivers);
            } finally {
                deleteIntegrations(api, created);
            }
        }
    }

    private void runPhase(Phase phase, IngestSender sender, WebhookReceivers receivers, Duration failing) throws InterruptedException {
        receivers.record(phase);
        if (!failing.isZero()) {
            receivers.failFor(failing);
        }
        long start = AlarmLedger.now();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
        ticker.scheduleAtFixedRate(() -> report.progress(phase, seconds(start)), 1, 1, TimeUnit.SECONDS);
        try {
            sender.send(phase);
            long deadline = phase.ingest().lastPostEnd() + options.timeout().toNanos();
            while (!phase.allDelivered() && AlarmLedger.now() < deadline) {
                Thread.sleep(POLL);
            }
            if (phase.allDelivered() && !options.linger().isZero()) {
                Thread.sleep(options.linger());
            }
        } finally {
            ticker.shutdownNow();
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        }
        report.progress(phase, seconds(start));
        if (phase.name().equals("warmup") && !phase.allDelivered()) {
            out.println("  warm-up: not every delivery arrived within --timeout; measuring anyway");
        }
    }

    private static long seconds(long since) {
        return TimeUnit.NANOSECONDS.toSeconds(AlarmLedger.now() - since);
    }

    private void deleteIntegrations(IntegrationsApi api, Map<String, String> created) throws InterruptedException {
        for (Map.Entry<String, String> integration : created.entrySet()) {
            String failure = api.delete(integration.getValue());
            out.println("  integration " + integration.getKey() + (failure == null ? " deleted" : " NOT deleted: " + failure
                    + " (delete id " + integration.getValue() + " by hand)"));
        }
    }
}
