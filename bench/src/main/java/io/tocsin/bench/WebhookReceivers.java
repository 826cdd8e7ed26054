package io.tocsin.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * The webhook endpoints Tocsin delivers to, on 127.0.0.1: {@code /healthy} always, {@code /failing} when the
 * run has a failing period. Each request is parsed ({@code {"id": 17, "status": "CREATED", ...}}, the
 * ClusterControl webhook body), recorded in the current {@link Phase} at its arrival time, and answered after
 * the configured delay: 200, or on {@code /failing} the failing status until the failing period is over.
 *
 * <p>Requests that are not the bench's own are counted as foreign and answered 200 (so Tocsin does not retry
 * them): a body that is not such JSON, a status other than CREATED/ENDED, a {@code webhook-id} header of
 * another source than {@code bench-<runId>:}, an id outside the current phase. Served on virtual threads, so a
 * receiver delay costs no platform thread.
 */
final class WebhookReceivers implements AutoCloseable {

    static final String HEALTHY = "healthy";
    static final String FAILING = "failing";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final String ownWebhookIdPrefix;
    private final Duration delay;
    private final int failingStatus;
    private final List<String> paths = new ArrayList<>();
    private final LongAdder foreign = new LongAdder();
    private volatile Phase phase;
    /** {@link AlarmLedger#now()} until which {@code /failing} refuses; 0 = not failing. */
    private volatile long failingUntil;

    /**
     * Starts the receivers.
     *
     * @throws IOException naming the port when it cannot be bound
     */
    WebhookReceivers(int port, String runId, Duration delay, boolean withFailingPath, int failingStatus) throws IOException {
        this.ownWebhookIdPrefix = "bench-" + runId + ":";
        this.delay = delay;
        this.failingStatus = failingStatus;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        } catch (BindException e) {
            throw new IOException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        server.setExecutor(executor);
        paths.add(HEALTHY);
        server.createContext("/" + HEALTHY, exchange -> handle(exchange, HEALTHY));
        if (withFailingPath) {
            paths.add(FAILING);
            server.createContext("/" + FAILING, exchange -> handle(exchange, FAILING));
        }
        server.start();
    }

    /** The receiver paths, healthy first. */
    List<String> paths() {
        return List.copyOf(paths);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
    }

    /** Deliveries from now on are recorded in {@code phase}. */
    void record(Phase phase) {
        this.phase = phase;
    }

    /** {@code /failing} answers the failing status from now for {@code period}. */
    void failFor(Duration period) {
        failingUntil = AlarmLedger.now() + period.toNanos();
    }

    /** Requests that were not deliveries of the current phase's alarms. */
    long foreign() {
        return foreign.sum();
    }

    private void handle(HttpExchange exchange, String path) throws IOException {
        long receipt = AlarmLedger.now();
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            boolean refuse = FAILING.equals(path) && receipt < failingUntil;
            Phase current = phase;
            Delivery delivery = "POST".equals(exchange.getRequestMethod())
                    ? parse(body, exchange.getRequestHeaders().getFirst("webhook-id"), current) : null;
            if (delivery == null) {
                foreign.increment();
            } else if (refuse) {
                current.path(path).refused();
            } else {
                current.path(path).delivered(delivery.alarmId(), delivery.status(), delivery.webhookId(), receipt);
            }
            pause();
            exchange.sendResponseHeaders(refuse ? failingStatus : 200, -1);
        }
    }

    /** The delivery a request carries, or null when it is not one of the current phase's. */
    private Delivery parse(byte[] body, String webhookId, Phase current) {
        if (current == null || (webhookId != null && !webhookId.startsWith(ownWebhookIdPrefix))) {
            return null;
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
        if (json == null || !json.isObject()) {
            return null;
        }
        long id = alarmId(json.get("id"));
        DeliveryStatus status = status(json.get("status"));
        if (status == null || !current.ledger().contains(id)) {
            return null;
        }
        return new Delivery((int) id, status, webhookId);
    }

    /** The webhook's id: a JSON number for all-digit alarm ids (ClusterControl's format), else a string. */
    private static long alarmId(JsonNode id) {
        if (id == null) {
            return -1;
        }
        if (id.isIntegralNumber()) {
            return id.asLong();
        }
        String text = id.asText();
        return !text.isEmpty() && text.length() < 11 && text.chars().allMatch(Character::isDigit) ? Long.parseLong(text) : -1;
    }

    private static DeliveryStatus status(JsonNode status) {
        if (status == null) {
            return null;
        }
        return switch (status.asText()) {
            case "CREATED" -> DeliveryStatus.CREATED;
            case "ENDED" -> DeliveryStatus.ENDED;
            default -> null;
        };
    }

    private void pause() {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("receiver interrupted", e));
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    private record Delivery(int alarmId, DeliveryStatus status, String webhookId) {
    }
}
