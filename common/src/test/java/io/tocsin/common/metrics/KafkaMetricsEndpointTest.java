package io.tocsin.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.tocsin.common.dlq.DeadLetterWriter;
import io.tocsin.common.health.KafkaHealthIndicator;
import io.tocsin.common.kafka.KafkaClients;
import io.tocsin.testing.Eventually;
import io.tocsin.testing.KafkaBroker;
import io.tocsin.testing.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real service context on a real broker: {@code /prometheus} carries the Kafka client metrics of the clients
 * {@link KafkaClients} builds (and drops them when a client is closed), and the consumer lag of a group whose lag
 * the test sets up (records produced, fewer committed).
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaMetricsEndpointTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
    static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    final HttpClient http = HttpClient.newHttpClient();

    record Sample(String name, Map<String, String> labels, double value) {
    }

    @Test
    void prometheusCarriesKafkaClientMetricsAndTheLagOfAGroup(KafkaBroker broker) throws Exception {
        String prefix = "metrics" + System.nanoTime() + ".";
        String topic = prefix + "lagging";
        String group = prefix + "group";
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("tocsin.kafka.bootstrap-servers", broker.bootstrapServers());
        props.put("tocsin.kafka.topic-prefix", prefix);
        props.put("tocsin.metrics.lag.interval", "300ms");
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props)) {
            KafkaClients clients = server.getApplicationContext().getBean(KafkaClients.class);
            server.getApplicationContext().getBean(DeadLetterWriter.class); // a producer of the service itself
            server.getApplicationContext().getBean(KafkaHealthIndicator.class); // an admin client of the service itself
            try (Admin admin = clients.newAdmin()) {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(2), Optional.empty()))).all().get();
            }
            KafkaProducer<byte[], byte[]> producer = clients.newProducer("test");
            KafkaProducer<byte[], byte[]> sameRole = clients.newProducer("test");
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, i < 6 ? 0 : 1, null, ("r" + i).getBytes(StandardCharsets.UTF_8))).get();
            }
            try (KafkaConsumer<byte[], byte[]> consumer = clients.newConsumer(group, "reader")) {
                TopicPartition p0 = new TopicPartition(topic, 0);
                TopicPartition p1 = new TopicPartition(topic, 1);
                // Consumed 2 of partition 0's 6 records and all 4 of partition 1's: lag 4 and 0.
                consumer.assign(List.of(p0, p1));
                consumer.commitSync(Map.of(p0, new OffsetAndMetadata(2), p1, new OffsetAndMetadata(4)));

                Eventually.within(WAIT, () -> {
                    List<Sample> scraped = scrape(server);
                    assertThat(value(scraped, "tocsin_consumer_lag", Map.of("group", group, "topic", topic, "partition", "0"))).isEqualTo(4.0);
                    assertThat(value(scraped, "tocsin_consumer_lag", Map.of("group", group, "topic", topic, "partition", "1"))).isEqualTo(0.0);
                    assertThat(value(scraped, "tocsin_consumer_lag_sum", Map.of("group", group))).isEqualTo(4.0);
                });
                List<Sample> scraped = scrape(server);
                assertThat(value(scraped, "kafka_producer_record_send_total", Map.of("client_id", "tocsin-test"))).isEqualTo(10.0);
                assertThat(value(scraped, "kafka_producer_record_send_total", Map.of("client_id", "tocsin-test-2")))
                        .as("a second client of the same role gets its own id and meters").isEqualTo(0.0);
                assertThat(names(scraped, "tocsin-dlq")).as("the service's own DLQ producer").anyMatch(n -> n.startsWith("kafka_producer_"));
                assertThat(names(scraped, "tocsin-reader")).anyMatch(n -> n.startsWith("kafka_consumer_coordinator_"))
                        .anyMatch(n -> n.startsWith("kafka_consumer_fetch_manager_"));
                assertThat(names(scraped, "tocsin-health")).as("the health indicator's admin client").anyMatch(n -> n.startsWith("kafka_admin_client_"));
                assertThat(names(scraped, "tocsin-lag")).as("the lag reader's admin client").anyMatch(n -> n.startsWith("kafka_admin_client_"));

                // The group catches up on partition 0.
                consumer.commitSync(Map.of(p0, new OffsetAndMetadata(6)));
                Eventually.within(WAIT, () -> assertThat(value(scrape(server), "tocsin_consumer_lag_sum", Map.of("group", group))).isEqualTo(0.0));
            }

            producer.close();
            List<Sample> afterClose = scrape(server);
            assertThat(names(afterClose, "tocsin-test")).as("a closed producer's meters are removed with it").isEmpty();
            assertThat(names(afterClose, "tocsin-reader")).as("a closed consumer's too").isEmpty();
            assertThat(names(afterClose, "tocsin-admin")).as("a closed admin client's too").isEmpty();
            assertThat(names(afterClose, "tocsin-test-2")).isNotEmpty();
            sameRole.close();
        }
    }

    @Test
    void lagMetricsCanBeSwitchedOff() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("tocsin.metrics.lag.enabled", "false"))) {
            assertThat(context.containsBean(ConsumerLagMetrics.class)).isFalse();
        }
        try (ApplicationContext context = ApplicationContext.run(Map.of("tocsin.kafka.bootstrap-servers", "127.0.0.1:1"))) {
            assertThat(context.containsBean(ConsumerLagMetrics.class)).as("on by default").isTrue();
        }
    }

    List<Sample> scrape(EmbeddedServer server) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            List<Sample> samples = new ArrayList<>();
            for (String line : response.body().split("\n")) {
                Matcher sample = SAMPLE.matcher(line);
                if (!line.startsWith("#") && sample.matches()) {
                    Map<String, String> labels = new HashMap<>();
                    Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
                    while (label.find()) {
                        labels.put(label.group(1), label.group(2));
                    }
                    samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
                }
            }
            return samples;
        } catch (Exception e) {
            throw new AssertionError("scraping /prometheus failed", e);
        }
    }

    /** The value of the one sample of {@code name} whose labels include {@code labels}. */
    static Double value(List<Sample> samples, String name, Map<String, String> labels) {
        List<Sample> matching = samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())).toList();
        assertThat(matching).as(name + labels).hasSize(1);
        return matching.getFirst().value();
    }

    /** The metric names of the samples of one Kafka client. */
    static List<String> names(List<Sample> samples, String clientId) {
        return samples.stream().filter(s -> clientId.equals(s.labels().get("client_id"))).map(Sample::name).distinct().toList();
    }
}
