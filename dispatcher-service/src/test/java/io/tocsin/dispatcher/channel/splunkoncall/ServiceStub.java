package io.tocsin.dispatcher.channel.splunkoncall;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
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
 * A real HTTP server on 127.0.0.1 (the JDK's HttpServer) that speaks for a service: it records every request
 * (method, path, raw query, headers, body) and answers with queued responses, then with a default one, each
 * with a status, headers and a body. Incident services answer with JSON that the channel reads (Splunk On-Call's
 * {@code result}, ServiceNow's {@code sys_id}), which the shared {@code RecordingReceiver} cannot send.
 * Public so the ServiceNow channel's tests use it too.
 */
public final class ServiceStub implements AutoCloseable {

    /** One request as received; header names lower-cased, {@code query} raw (still percent-encoded) or null. */
    public record Request(String method, String path, String query, Map<String, String> headers, String body) {
    }

    /** One answer. */
    public record Answer(int status, Map<String, String> headers, String body) {

        public static Answer json(int status, String body) {
            return new Answer(status, Map.of("Content-Type", "application/json"), body);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Queue<Answer> queued = new ArrayDeque<>();
    private volatile Answer fallback;

    public ServiceStub(Answer fallback) throws IOException {
        this.fallback = fallback;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.getFirst()));
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), headers, body));
            Answer answer = next();
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] bytes = answer.body() == null ? new byte[0] : answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
    }

    /** Answers the next requests with these, in order, then with the fallback. */
    public synchronized ServiceStub thenAnswer(Answer... answers) {
        queued.addAll(List.of(answers));
        return this;
    }

    public ServiceStub byDefault(Answer answer) {
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
