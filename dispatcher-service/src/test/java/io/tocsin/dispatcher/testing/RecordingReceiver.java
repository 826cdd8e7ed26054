package io.tocsin.dispatcher.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP receiver on 127.0.0.1 (the JDK's HttpServer) that plays a webhook receiver or a service in tests: it
 * records every request (method, path, raw path and query, headers, body) and answers with queued responses, then
 * with a default one, each a status, headers and a body (a service's JSON or text the channel reads).
 *
 * <p>A request is recorded when it is answered, with the status it got: after {@link #delay}, so a stuck receiver
 * shows no request until it answers.
 */
public final class RecordingReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One request as received, and the status it was answered with. Header names are lower-cased; {@code path} is
     * decoded, {@code rawPath} and {@code query} are as sent (still percent-encoded), {@code query} null without one.
     */
    public record Request(String method, String path, String body, Map<String, String> headers, Instant at, int status,
                          String rawPath, String query) {

        /** The body as JSON. */
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** One answer: a status, extra headers and a body ({@code ""} for none). */
    public record Response(int status, Map<String, String> headers, String body) {

        public Response(int status, Map<String, String> headers) {
            this(status, headers, "");
        }

        /** {@code status} without headers or body. */
        public static Response status(int status) {
            return new Response(status, Map.of(), "");
        }

        /** {@code status} with {@code body} and no headers. */
        public static Response of(int status, String body) {
            return new Response(status, Map.of(), body);
        }

        /** {@code status} with a JSON {@code body}, labelled {@code application/json}. */
        public static Response json(int status, String body) {
            return new Response(status, Map.of("Content-Type", "application/json"), body);
        }

        public Response withHeader(String name, String value) {
            Map<String, String> all = new TreeMap<>(headers);
            all.put(name, value);
            return new Response(status, all, body);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Queue<Response> queued = new ArrayDeque<>();
    private volatile Response fallback;
    private volatile Duration delay = Duration.ZERO;
    private volatile Instant failUntil = Instant.MIN;
    private volatile int failStatus = 503;

    /** A receiver that answers 200 without a body to what is not queued. */
    public RecordingReceiver() throws IOException {
        this(Response.status(200));
    }

    /** A receiver that answers {@code fallback} to what is not queued. */
    public RecordingReceiver(Response fallback) throws IOException {
        this.fallback = fallback;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        // Concurrent like a real receiver: the dispatcher sends many requests at once.
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.getFirst()));
        Instant at = Instant.now();
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Response response = Instant.now().isBefore(failUntil) ? Response.status(failStatus) : next();
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body, headers, at,
                response.status(), exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery()));
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
        // -1: no body at all, which 204 and 304 require.
        exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        exchange.close();
    }

    /** Answers every request only after this long (a slow or stuck receiver). */
    public RecordingReceiver delay(Duration answerDelay) {
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

    /** {@code http://127.0.0.1:<port>} followed by {@code pathAndQuery}. */
    public String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
