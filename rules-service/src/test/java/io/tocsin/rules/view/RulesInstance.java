package io.tocsin.rules.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.tocsin.rules.streams.RulesStreams;
import io.tocsin.schema.topics.TopicCatalogue;
import io.tocsin.testing.KafkaBrokerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * One rules service for the view's tests: a real Micronaut server with the rules topology on the shared test
 * broker, plus helpers to call its API with the admin token and to write raw records to its topics.
 */
final class RulesInstance implements AutoCloseable {

    static final String ADMIN_TOKEN = "view-test-admin-token-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();

    private final EmbeddedServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RulesInstance(EmbeddedServer server) {
        this.server = server;
    }

    /**
     * The settings of an instance of application {@code applicationId} on topics {@code prefix}; port -1 picks a
     * random port and leaves the instance without an advertised address (it answers from its own partitions).
     */
    static Map<String, Object> properties(String prefix, String applicationId, Path stateDir, int port) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", port);
        props.put("tocsin.kafka.bootstrap-servers", KafkaBrokerExtension.broker().bootstrapServers());
        props.put("tocsin.kafka.topic-prefix", prefix);
        props.put("tocsin.rules.application-id", applicationId);
        props.put("tocsin.rules.state-dir", stateDir.toString());
        props.put("tocsin.security.admin-token", ADMIN_TOKEN);
        props.put("tocsin.rules.view.peer-timeout", "1s");
        props.put("tocsin.rules.view.retry-after", "1s");
        if (port > 0) {
            props.put("tocsin.rules.advertised-address", "localhost:" + port);
        }
        return props;
    }

    static RulesInstance start(Map<String, Object> properties) {
        return new RulesInstance(ApplicationContext.run(EmbeddedServer.class, properties));
    }

    static String newPrefix(String name) {
        return name + System.nanoTime() + ".";
    }

    /** A TCP port free at the time of the call. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    KafkaStreams streams() {
        return server.getApplicationContext().getBean(RulesStreams.class).streams();
    }

    <T> T bean(Class<T> type) {
        return server.getApplicationContext().getBean(type);
    }

    int port() {
        return server.getPort();
    }

    /** GET with the admin token. */
    HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).header("Authorization", "Bearer " + ADMIN_TOKEN).GET().build());
    }

    /** POST of a JSON body with the admin token. */
    HttpResponse<String> post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** GET without any token. */
    HttpResponse<String> anonymousGet(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build());
    }

    /** GET with the admin token, expecting 200, as JSON. */
    JsonNode json(String pathAndQuery) {
        HttpResponse<String> response = get(pathAndQuery);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://localhost:" + server.getPort() + pathAndQuery);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            // A hung answer fails the test in 30 s instead of waiting for the server's idle timeout.
            return http.send(HttpRequest.newBuilder(request, (name, value) -> true).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
    }

    /** Writes JSON records to the raw topics of one topic prefix, as any producer may (DESIGN.md section 4). */
    static final class RawProducer implements AutoCloseable {

        private final TopicCatalogue topics;
        private final KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerExtension.broker().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));

        RawProducer(String prefix) {
            this.topics = new TopicCatalogue(prefix);
        }

        /** A raw alarm, keyed by its alarm key {@code source:alarmId}, as a collector writes it. */
        void alarm(String source, String alarmId, String json) {
            send(topics.rawAlarms().name(), source + ":" + alarmId, json);
        }

        /** A metric sample, keyed by host. */
        void metric(String host, String json) {
            send(topics.rawMetrics().name(), host, json);
        }

        private void send(String topic, String key, String json) {
            try {
                producer.send(new ProducerRecord<>(topic, key, json)).get();
            } catch (Exception e) {
                throw new IllegalStateException("cannot write to " + topic, e);
            }
        }

        @Override
        public void close() {
            producer.close();
        }
    }
}
