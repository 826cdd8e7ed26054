package io.tocsin.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends a phase's alarms to {@code POST /api/v1/ingest/alarms}: {@code senders} virtual threads take the next
 * batch from a shared counter and POST it, one request in flight each; with {@code --clear} a sender POSTs the
 * batch's clears as soon as its raises are accepted.
 *
 * <p>Reference times (what delivery latency is measured from): without a rate, the POST's start. With a rate
 * R, batch k is due at {@code phaseStart + k·batch/R} on an absolute schedule, and its alarms' reference is that
 * due time, not the moment a sender got round to it: when Tocsin slows down, senders fall behind the schedule
 * and the wait shows in the latency instead of silently lowering the offered load (coordinated omission). A
 * clear's reference is its own POST's start (it is sent right after its raise is accepted).
 *
 * <p>Failures are counted, not retried (a retry would blur what was accepted when). A 401 or 403 stops the
 * phase at once: every further request would be refused the same way.
 */
final class IngestSender {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI ingestUri;
    private final String ingestToken;
    private final AlarmBodies bodies;
    private final int batch;
    private final int senders;
    private final double rate;
    private final boolean clear;
    private final AtomicBoolean refusedToken = new AtomicBoolean();

    IngestSender(HttpClient http, BenchOptions options, AlarmBodies bodies) {
        this.http = http;
        this.ingestUri = URI.create(options.url() + "/api/v1/ingest/alarms");
        this.ingestToken = options.ingestToken();
        this.bodies = bodies;
        this.batch = options.batch();
        this.senders = options.senders();
        this.rate = options.rate();
        this.clear = options.clear();
    }

    /** Whether Tocsin refused the ingest token (401/403); the phase then stopped early. */
    boolean tokenRefused() {
        return refusedToken.get();
    }

    /** Sends every alarm of {@code phase} and returns when the last POST has been answered. */
    void send(Phase phase) throws InterruptedException {
        AlarmLedger ledger = phase.ledger();
        int batches = (ledger.count() + batch - 1) / batch;
        AtomicInteger next = new AtomicInteger();
        long start = AlarmLedger.now();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int s = 0; s < senders; s++) {
                threads.submit(() -> {
                    int k;
                    while (!refusedToken.get() && (k = next.getAndIncrement()) < batches) {
                        sendBatch(phase, k, start);
                    }
                    return null;
                });
            }
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("sending was interrupted");
        }
    }

    private void sendBatch(Phase phase, int k, long phaseStart) {
        AlarmLedger ledger = phase.ledger();
        int from = ledger.first() + k * batch;
        int to = Math.min(from + batch, ledger.first() + ledger.count());
        long due = rate > 0 ? phaseStart + Math.round((double) k * batch * 1_000_000_000d / rate) : 0;
        if (rate > 0) {
            sleepUntil(due);
        }
        long start = AlarmLedger.now();
        for (int n = from; n < to; n++) {
            ledger.raiseSent(n, rate > 0 ? due : start);
        }
        if (!post(phase.ingest(), bodies.raises(from, to), false, to - from, start)) {
            return;
        }
        for (int n = from; n < to; n++) {
            ledger.raiseAccepted(n);
        }
        if (clear) {
            long clearStart = AlarmLedger.now();
            for (int n = from; n < to; n++) {
                ledger.clearSent(n, clearStart);
            }
            if (post(phase.ingest(), bodies.clears(from, to), true, to - from, clearStart)) {
                for (int n = from; n < to; n++) {
                    ledger.clearAccepted(n);
                }
            }
        }
    }

    /** POSTs one body; true when Tocsin answered 202. Records the outcome either way. */
    private boolean post(IngestStats stats, byte[] body, boolean clears, int alarms, long start) {
        HttpRequest request = HttpRequest.newBuilder(ingestUri)
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + ingestToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        String outcome;
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            outcome = Integer.toString(response.statusCode());
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                refusedToken.set(true);
            }
        } catch (IOException e) {
            outcome = e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = "Interrupted";
        }
        stats.post(clears, alarms, start, AlarmLedger.now(), outcome);
        return "202".equals(outcome);
    }

    private static void sleepUntil(long due) {
        long wait;
        while ((wait = due - AlarmLedger.now()) > 0 && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(wait);
        }
    }
}
