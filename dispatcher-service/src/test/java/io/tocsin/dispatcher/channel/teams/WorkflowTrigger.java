package io.tocsin.dispatcher.channel.teams;

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
 * A real HTTP server on 127.0.0.1 (the JDK's HttpServer) standing in for a Teams Workflows webhook trigger: it
 * records every request with its query (where the {@code sig} secret travels) and answers with queued statuses
 * and headers, then with {@code 202 Accepted} and no body, as Workflows does.
 */
final class WorkflowTrigger implements AutoCloseable {

    /** One request as received; header names lower-cased. */
    record Request(String method, String path, String query, Map<String, String> headers, String body) {
    }

    /** One answer. */
    record Answer(int status, Map<String, String> headers) {
    }

    static final String PATH = "/workflows/3f2b/triggers/manual/paths/invoke";
    static final String SIG = "Zm9vYmFyU2VjcmV0U2lnbmF0dXJl";
    static final String QUERY = "api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=" + SIG;

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Queue<Answer> answers = new ArrayDeque<>();

    WorkflowTrigger() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.getFirst()));
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), headers, body));
            Answer answer = next();
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(answer.status(), -1);
            exchange.close();
        });
        server.start();
    }

    /** Answers the next requests with these statuses, in order, then with 202. */
    synchronized WorkflowTrigger thenAnswer(Answer... next) {
        answers.addAll(List.of(next));
        return this;
    }

    private synchronized Answer next() {
        Answer answer = answers.poll();
        return answer != null ? answer : new Answer(202, Map.of());
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The workflow URL of this trigger, secret included. */
    String workflowUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH + "?" + QUERY;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
