package io.tocsin.dispatcher.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP receiver on 127.0.0.1 (the JDK's HttpServer) that records every request and answers with queued
 * responses, then with a default one. Stands in for a webhook receiver in tests.
 */
public final class RecordingReceiver implements AutoCloseable {

    /** One request as received, and the status it was answered with. Header names are lower-cased. */
    public record Request(String method, String path, String body, Map<String, String> headers, Instant at, int status) {
    }

    /** One answer: a status and extra headers. */
    public record Response(int status, Map<String, String> headers) {

        public static Response status(int status) {
            return new Response(status, Map.of());
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Queue<Response> queued = new ArrayDeque<>();
    private volatile Response fallback = Response.status(200);
    private volatile java.time.Duration delay = java.time.Duration.ZERO;
    private volatile Instant failUntil = Instant.MIN;
    private volatile int failStatus = 503;

    public RecordingReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new java.util.TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values.getFirst()));
            Instant at = Instant.now();
            if (!delay.isZero()) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Response response = Instant.now().isBefore(failUntil) ? Response.status(failStatus) : next();
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body, headers, at, response.status()));
            response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(response.status(), -1);
            exchange.close();
        });
        // Concurrent like a real receiver: the dispatcher sends many requests at once.
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** Answers every request only after this long (a slow or stuck receiver). */
    public RecordingReceiver delay(java.time.Duration answerDelay) {
        this.delay = answerDelay;
        return this;
    }

    /** Answers {@code status} to everything until {@code until} (a receiver that is down for a while). */
    public RecordingReceiver failUntil(Instant until, int status) {
        this.failStatus = status;
        this.failUntil = until;
        return this;
    }

    /** The requests answered 2xx: what the receiver accepted. */
    public List<Request> accepted() {
        return requests.stream().filter(r -> r.status() >= 200 && r.status() < 300).toList();
    }

    /** Answers the next requests with these, in order, then with the fallback. */
    public synchronized RecordingReceiver thenAnswer(Response... responses) {
        queued.addAll(List.of(responses));
        return this;
    }

    /** Answers every request not covered by {@link #thenAnswer} with this. */
    public RecordingReceiver byDefault(Response response) {
        fallback = response;
        return this;
    }

    private synchronized Response next() {
        Response response = queued.poll();
        return response != null ? response : fallback;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<String> bodies() {
        return requests.stream().map(Request::body).toList();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
