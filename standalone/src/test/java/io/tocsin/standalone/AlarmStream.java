package io.tocsin.standalone;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A monitor sending a steady stream of alarms to the collector's {@code POST /api/v1/ingest/alarms}, as a real
 * sender does: every tick it raises {@link #PER_TICK} new alarms and clears those it raised {@link #CLEAR_AFTER}
 * ticks earlier, and it repeats a request the collector did not accept (503, connection refused) until it is
 * accepted. It records the alarm keys whose raise and clear were both acknowledged: each of those must end up as a
 * CREATED and an ENDED notification.
 */
final class AlarmStream implements AutoCloseable {

    static final int PER_TICK = 3;
    static final int CLEAR_AFTER = 10;
    static final Duration TICK = Duration.ofMillis(100);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI ingest;
    private final String token;
    private final String source;
    private final Set<String> raised = ConcurrentHashMap.newKeySet();
    private final Set<String> cleared = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refusals = new AtomicInteger();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Throwable failure;

    AlarmStream(String collectorUrl, String token, String source) {
        this.ingest = URI.create(collectorUrl + "/api/v1/ingest/alarms");
        this.token = token;
        this.source = source;
        this.thread = Thread.ofPlatform().name("alarm-stream").daemon().start(this::run);
    }

    private void run() {
        Deque<List<String>> open = new ArrayDeque<>();
        int next = 0;
        try {
            while (!stopping) {
                long tickStart = System.nanoTime();
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < PER_TICK; i++) {
                    ids.add("a" + next++);
                }
                List<String> toClear = open.size() >= CLEAR_AFTER ? open.removeFirst() : List.of();
                send(ids, toClear);
                open.addLast(ids);
                Thread.sleep(Math.max(0, TICK.toMillis() - (System.nanoTime() - tickStart) / 1_000_000));
            }
            while (!open.isEmpty()) {
                send(List.of(), open.removeFirst());
            }
        } catch (Throwable e) {
            failure = e;
        }
    }

    /** One request raising {@code raise} and clearing {@code clear}, repeated until the collector answers 202. */
    private void send(List<String> raise, List<String> clear) throws InterruptedException {
        StringBuilder body = new StringBuilder("[");
        for (String id : raise) {
            body.append(body.length() > 1 ? "," : "").append("{\"source\":\"").append(source).append("\",\"alarmId\":\"").append(id)
                    .append("\",\"state\":\"RAISED\",\"type\":\"MySqlDisconnected\",\"severity\":\"CRITICAL\",\"component\":\"Node\","
                            + "\"hostname\":\"db-").append(id).append("\",\"title\":\"Server disconnected\",\"message\":\"crash test\"}");
        }
        for (String id : clear) {
            body.append(body.length() > 1 ? "," : "").append("{\"source\":\"").append(source).append("\",\"alarmId\":\"").append(id)
                    .append("\",\"state\":\"CLEARED\"}");
        }
        body.append(']');
        HttpRequest request = HttpRequest.newBuilder(ingest).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        while (true) {
            try {
                HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 202) {
                    raise.forEach(id -> raised.add(source + ":" + id));
                    clear.forEach(id -> cleared.add(source + ":" + id));
                    return;
                }
                if (answer.statusCode() != 503) {
                    throw new IllegalStateException("ingest answered " + answer.statusCode() + ": " + answer.body());
                }
            } catch (java.io.IOException e) {
                // The collector is not killed in this test, but a sender must survive a dropped connection.
            }
            refusals.incrementAndGet();
            Thread.sleep(500);
        }
    }

    /** Alarm keys raised and cleared with the collector's acknowledgement. */
    Set<String> completedAlarmKeys() {
        Set<String> both = new java.util.HashSet<>(raised);
        both.retainAll(cleared);
        return both;
    }

    int raisedCount() {
        return raised.size();
    }

    int refusals() {
        return refusals.get();
    }

    /** Stops raising, clears every alarm still open, and returns once all of that was accepted. */
    @Override
    public void close() throws Exception {
        stopping = true;
        thread.join(Duration.ofSeconds(120));
        if (failure != null) {
            throw new IllegalStateException("the alarm stream failed", failure);
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("the alarm stream did not finish within 120 s");
        }
    }
}
