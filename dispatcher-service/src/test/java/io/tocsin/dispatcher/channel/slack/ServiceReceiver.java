package io.tocsin.dispatcher.channel.slack;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on 127.0.0.1 (the JDK's HttpServer) speaking like a chat service's webhook endpoint: it
 * records every request (with its query, which Discord's {@code ?wait=true} needs) and answers with queued
 * answers that carry a body (Slack's plain-text error codes, Discord's JSON), then with a default one. Public so
 * the other chat channels' tests (Discord) use it too.
 */
public final class ServiceReceiver implements AutoCloseable {

    /** One request as received. Header names are lower-cased; {@code query} is null without one. */
    public record Request(String method, String path, String query, String body, Map<String, String> headers) {
    }

    /** One answer: status, headers and body ({@code ""} for none). */
    public record Answer(int status, Map<String, String> headers, String body) {

        public static Answer of(int status, String body) {
            return new Answer(status, Map.of(), body);
        }

        public static Answer empty(int status) {
            return new Answer(status, Map.of(), "");
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Queue<Answer> queued = new ArrayDeque<>();
    private volatile Answer fallback;

    public ServiceReceiver(Answer fallback) throws IOException {
        this.fallback = fallback;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new java.util.TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values.getFirst()));
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), body, headers));
            Answer answer = next();
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            // 204 and 304 must not carry a body; -1 tells the server so.
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** Answers the next requests with these, in order, then with the default answer. */
    public synchronized ServiceReceiver thenAnswer(Answer... answers) {
        queued.addAll(List.of(answers));
        return this;
    }

    public ServiceReceiver byDefault(Answer answer) {
        fallback = answer;
        return this;
    }

    private synchronized Answer next() {
        Answer answer = queued.poll();
        return answer != null ? answer : fallback;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
