package io.tocsin.collector.ingest.pacemaker;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A collector on the shared test broker with its own topic prefix, and the recorded alerts of
 * {@code src/test/resources/pacemaker/}. Each test uses its own alarm source, so what it reads back from Kafka is
 * only its own.
 */
final class PacemakerFixture implements AutoCloseable {

    static final String TOKEN = "ingest-secret";
    static final ObjectMapper JSON = new ObjectMapper();

    final EmbeddedServer server;
    final String prefix;
    private final HttpClient http = HttpClient.newHttpClient();

    PacemakerFixture(Map<String, Object> extra) {
        this.prefix = "pacemaker" + System.nanoTime() + ".";
        Map<String, Object> config = new LinkedHashMap<>(Map.of(
                "micronaut.server.port", -1,
                "tocsin.kafka.bootstrap-servers", KafkaBrokerExtension.broker().bootstrapServers(),
                "tocsin.kafka.topic-prefix", prefix,
                "tocsin.kafka.partitions", 1,
                "tocsin.collector.host.enabled", false,
                "tocsin.security.ingest-token", TOKEN,
                "tocsin.security.admin-token", "admin-secret"));
        config.putAll(extra);
        this.server = ApplicationContext.run(EmbeddedServer.class, config);
    }

    /** A recorded alert: its variables in file order. */
    static Map<String, String> recorded(String name) {
        try (InputStream in = PacemakerFixture.class.getResourceAsStream("/pacemaker/" + name + ".env")) {
            if (in == null) {
                throw new AssertionError("no recorded alert pacemaker/" + name + ".env");
            }
            Map<String, String> variables = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    int equals = line.indexOf('=');
                    variables.put(line.substring(0, equals), line.substring(equals + 1));
                }
            }
            return variables;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code recorded} with {@code changes} applied. */
    static Map<String, String> recorded(String name, Map<String, String> changes) {
        Map<String, String> variables = recorded(name);
        variables.putAll(changes);
        return variables;
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    static String json(Map<String, String> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String endpoint(String query) {
        return server.getURL() + "/api/v1/ingest/pacemaker" + (query.isEmpty() ? "" : "?" + query);
    }

    HttpResponse<String> post(String query, String contentType, String body) {
        return post(query, contentType, body, TOKEN);
    }

    HttpResponse<String> post(String query, String contentType, String body, String token) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint(query)))
                    .header("Content-Type", contentType).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> postForm(String source, Map<String, String> fields) {
        return post("source=" + source, "application/x-www-form-urlencoded", form(fields));
    }

    /** The raw alarms of {@code source} now in Kafka, in topic order. */
    List<RawAlarm> alarms(String source) {
        return TopicReader.readAll(KafkaBrokerExtension.broker().bootstrapServers(), prefix + "raw.alarms", Duration.ofSeconds(10))
                .stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).startsWith(source + ":"))
                .map(r -> {
                    RawAlarm alarm = Codecs.RAW_ALARM.decode(r.value());
                    if (!new String(r.key(), StandardCharsets.UTF_8).equals(alarm.getSource() + ":" + alarm.getAlarmId())) {
                        throw new AssertionError("record key " + new String(r.key(), StandardCharsets.UTF_8) + " is not the alarm key of " + alarm);
                    }
                    return alarm;
                })
                .toList();
    }

    double counter(String name, String... tags) {
        var meters = server.getApplicationContext().getBean(io.micrometer.core.instrument.MeterRegistry.class);
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        server.close();
    }
}
