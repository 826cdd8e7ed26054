package io.tocsin.collector.ingest;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.wire.Codecs;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.TopicReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The collector service on the shared test broker with a topic prefix of its own, for the ingest format tests:
 * real HTTP in, real Kafka out. Tokens: {@link #INGEST_TOKEN}, {@link #ADMIN_TOKEN}.
 */
public final class RunningCollector implements AutoCloseable {

    public static final String INGEST_TOKEN = "ingest-secret-7f3a";
    public static final String ADMIN_TOKEN = "admin-secret-91c2";

    /** One record of tocsin.raw.alarms. */
    public record KeyedAlarm(String key, RawAlarm alarm) {
    }

    private final EmbeddedServer server;
    private final String prefix;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private RunningCollector(EmbeddedServer server, String prefix) {
        this.server = server;
        this.prefix = prefix;
    }

    public static RunningCollector start(String name) {
        String prefix = name + System.nanoTime() + ".";
        Map<String, Object> config = new HashMap<>(Map.of(
                "micronaut.server.port", -1,
                "tocsin.kafka.bootstrap-servers", KafkaBrokerExtension.broker().bootstrapServers(),
                "tocsin.kafka.topic-prefix", prefix,
                "tocsin.kafka.partitions", 1,
                "tocsin.security.ingest-token", INGEST_TOKEN,
                "tocsin.security.admin-token", ADMIN_TOKEN,
                "tocsin.collector.host.enabled", false));
        return new RunningCollector(ApplicationContext.run(EmbeddedServer.class, config), prefix);
    }

    /** The collector's base URL, e.g. {@code http://localhost:40123}. */
    public String baseUrl() {
        return server.getURL().toString();
    }

    /** POSTs {@code body} as JSON to {@code pathAndQuery} (e.g. {@code /api/v1/ingest/alertmanager}) with the ingest token. */
    public HttpResponse<String> post(String pathAndQuery, String body) {
        return post(pathAndQuery, INGEST_TOKEN, body);
    }

    public HttpResponse<String> post(String pathAndQuery, String token, String body) {
        var request = HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    /** {@code GET path} without a token (health, Prometheus metrics). */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30)).build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Everything on tocsin.raw.alarms so far, in order. */
    public List<KeyedAlarm> rawAlarms() {
        return TopicReader.readAll(KafkaBrokerExtension.broker().bootstrapServers(), prefix + "raw.alarms", Duration.ofSeconds(10))
                .stream()
                .map(r -> new KeyedAlarm(new String(r.key(), StandardCharsets.UTF_8), Codecs.RAW_ALARM.decode(r.value())))
                .toList();
    }

    /** The raw alarms whose key starts with {@code source + ":"}, in order. */
    public List<KeyedAlarm> rawAlarmsOf(String source) {
        return rawAlarms().stream().filter(a -> a.key().startsWith(source + ":")).toList();
    }

    /** A test resource (a recorded payload) as text. */
    public static String resource(String path) {
        try (InputStream in = RunningCollector.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new AssertionError("test resource " + path + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
