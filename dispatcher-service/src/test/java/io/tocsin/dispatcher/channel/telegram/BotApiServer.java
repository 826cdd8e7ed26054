package io.tocsin.dispatcher.channel.telegram;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on 127.0.0.1 (the JDK's HttpServer) speaking like the Telegram Bot API: it records every
 * request and answers with queued answers (status, headers, JSON body), then with {@code {"ok":true,...}}.
 */
final class BotApiServer implements AutoCloseable {

    /** One request as received; header names lower-cased. */
    record Request(String method, String path, String query, Map<String, String> headers, String body) {
    }

    /** One answer. */
    record Answer(int status, Map<String, String> headers, String body) {

        static Answer of(int status, String body) {
            return new Answer(status, Map.of(), body);
        }
    }

    static final String SENT = "{\"ok\":true,\"result\":{\"message_id\":42,\"chat\":{\"id\":-1001234567890,\"type\":\"supergroup\"},\"date\":1735787045,\"text\":\"x\"}}";

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Queue<Answer> answers = new ArrayDeque<>();

    BotApiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.getFirst()));
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), headers, body));
            Answer answer = next();
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    /** Answers the next requests with these, in order, then with a successful sendMessage answer. */
    synchronized BotApiServer thenAnswer(Answer... next) {
        answers.addAll(List.of(next));
        return this;
    }

    private synchronized Answer next() {
        Answer answer = answers.poll();
        return answer != null ? answer : Answer.of(200, SENT);
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
