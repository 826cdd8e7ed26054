package io.tocsin.standalone;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Local stand-ins for the incident and chat services on one loopback HTTP server: each service lives under its
 * own path prefix ({@code /pagerduty}, {@code /slack}, ...) and answers every request with the status and body
 * that service's API answers a success with, chosen by method and path. Every request is recorded.
 */
final class FakeServices implements AutoCloseable {

    record Request(String method, String path, Map<String, List<String>> headers, String body, Instant at) {
    }

    /** What a fake service answers. */
    record Response(int status, String body) {
    }

    /** An answer for requests whose method and path start as given. */
    record Answer(String method, String pathPrefix, java.util.function.Function<Request, Response> respond) {
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Answer> answers = new CopyOnWriteArrayList<>();

    FakeServices() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request request = new Request(exchange.getRequestMethod(), path, Map.copyOf(exchange.getRequestHeaders()), body, Instant.now());
            requests.add(request);
            Response answer = answers.stream()
                    .filter(a -> a.method().equals(exchange.getRequestMethod()) && path.startsWith(a.pathPrefix()))
                    .findFirst().map(a -> a.respond().apply(request)).orElse(new Response(404, "{}"));
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), answer.status() == 204 ? -1 : bytes.length);
            if (answer.status() != 204) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
    }

    FakeServices answer(String method, String pathPrefix, int status, String body) {
        return answer(method, pathPrefix, request -> new Response(status, body));
    }

    FakeServices answer(String method, String pathPrefix, java.util.function.Function<Request, Response> respond) {
        answers.add(new Answer(method, pathPrefix, respond));
        return this;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Request> requests(String pathPrefix) {
        return requests.stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
