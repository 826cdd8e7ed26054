package io.tocsin.bench.throughput;

import io.tocsin.bench.AlarmBodies;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * POSTs alarms to {@code /api/v1/ingest/alarms} from {@code clients} virtual threads, each with one request in
 * flight and the next sent only once the previous one was answered (each waits for its 202, i.e. for Kafka's
 * acknowledgement): the closed-loop load of monitors that each wait for their webhook call to return. A request
 * that is not answered 202 is a failure, counted, not retried.
 */
final class HttpLoad {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI ingest;
    private final String token;
    private final AlarmBodies bodies;
    private final int clients;
    private final AtomicInteger nextAlarm = new AtomicInteger();

    HttpLoad(URI base, String token, AlarmBodies bodies, int clients) {
        this.ingest = URI.create(base + "/api/v1/ingest/alarms");
        this.token = token;
        this.bodies = bodies;
        this.clients = clients;
    }

    /** Sends {@code records} alarms, {@code perRequest} to a request, and returns what was acknowledged. */
    PhaseResult run(String name, int records, int perRequest) throws InterruptedException {
        int requests = (records + perRequest - 1) / perRequest;
        int first = nextAlarm.getAndAdd(requests * perRequest);
        AtomicInteger next = new AtomicInteger();
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        Histogram latency = PhaseResult.newHistogram();
        long start = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                threads.submit(() -> {
                    int k;
                    while ((k = next.getAndIncrement()) < requests) {
                        int from = first + k * perRequest;
                        byte[] body = bodies.raises(from, from + perRequest);
                        long sent = System.nanoTime();
                        if (post(body)) {
                            long micros = (System.nanoTime() - sent) / 1_000;
                            synchronized (latency) {
                                latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
                            }
                            acknowledged.addAndGet(perRequest);
                        } else {
                            failures.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("the HTTP phase was interrupted");
        }
        return new PhaseResult(name, acknowledged.get(), System.nanoTime() - start, latency, failures.get());
    }

    private boolean post(byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(ingest).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 202;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
