package io.tocsin.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.tocsin.testing.KafkaBroker;
import io.tocsin.testing.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kafka stops under a running collector: a request is answered 503 with Retry-After within the bounded wait. */
class KafkaDownTest {

    @Test
    void whenKafkaCannotAcknowledgeTheRequestIsRefusedWithRetryAfter() throws Exception {
        KafkaBroker broker = KafkaBrokerExtension.startPrivateBroker();
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "tocsin.kafka.bootstrap-servers", broker.bootstrapServers(),
                "tocsin.kafka.partitions", 1,
                "tocsin.collector.ingest.ack-timeout", "2s",
                "tocsin.collector.ingest.retry-after", "7s",
                "tocsin.collector.host.enabled", false,
                "tocsin.security.ingest-token", "ingest-secret",
                "tocsin.security.admin-token", "admin-secret"))) {
            HttpClient http = HttpClient.newHttpClient();
            String alarm = "{\"source\":\"cc-1\",\"alarmId\":\"1\",\"state\":\"CLEARED\"}";
            assertThat(post(http, server, alarm).statusCode()).as("Kafka is up").isEqualTo(202);

            broker.close();
            long start = System.nanoTime();
            HttpResponse<String> refused = post(http, server, alarm);
            Duration waited = Duration.ofNanos(System.nanoTime() - start);

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("7");
            assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
            assertThat(new ObjectMapper().readTree(refused.body()).get("detail").asText()).contains("retry after 7 s");
            assertThat(waited).as("bounded by the ack timeout").isLessThan(Duration.ofSeconds(10));
        } finally {
            broker.close();
        }
    }

    private static HttpResponse<String> post(HttpClient http, EmbeddedServer server, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/api/v1/ingest/alarms"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer ingest-secret")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
