package io.tocsin.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP endpoint on loopback that records every webhook request it receives (arrival time, the
 * {@code webhook-id} idempotency key, the JSON body) and answers 200, optionally after a delay so that deliveries
 * are in flight for a while (the crash test kills a dispatcher while some are).
 */
final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived: when, with which idempotency key, and its body. */
    record Received(Instant at, String webhookId, JsonNode body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    WebhookReceiver() throws IOException {
        this(Duration.ZERO);
    }

    /** A receiver that holds every answer for {@code delay} after reading the request. */
    WebhookReceiver(Duration delay) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", exchange -> {
            Instant at = Instant.now();
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            received.add(new Received(at, exchange.getRequestHeaders().getFirst("webhook-id"), body));
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    List<JsonNode> bodies() {
        return received.stream().map(Received::body).toList();
    }

    List<JsonNode> bodiesFor(String id) {
        return bodies().stream().filter(b -> b.get("id").asText().equals(id)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
