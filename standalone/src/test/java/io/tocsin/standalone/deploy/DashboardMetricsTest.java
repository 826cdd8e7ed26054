package io.tocsin.standalone.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.tocsin.common.security.ApiTokens;
import io.tocsin.standalone.Standalone;
import io.tocsin.testing.Eventually;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart's Grafana dashboard and PrometheusRule alerts name only metrics Tocsin exposes. The standalone (all four
 * services, embedded broker) runs a short pipeline: alarms through HTTP ingest, the rules topology, the webhook
 * dispatcher, and an undecodable record into each DLQ path (the rules topology's, the dispatcher's writer); then
 * {@code /prometheus} is scraped and every metric named by a panel query, a dashboard variable or an alert expression
 * must be in it, with the pipeline's events and dead letters counted. The same scrape shows the Kafka Streams,
 * producer, consumer and admin client metrics and the consumer lag of the rules and dispatcher groups.
 */
class DashboardMetricsTest {

    static final Path FILES = Path.of("..", "k8s", "helm", "tocsin", "files");
    static final Path DASHBOARD = FILES.resolve("grafana-dashboard.json");
    static final Path ALERTS = FILES.resolve("prometheus-rules.yaml");
    /** Series Prometheus itself adds to every scrape target; no exporter exposes them. */
    static final Set<String> SCRAPE_SERIES = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped");
    static final Duration WAIT = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    /** Metric names of the scrape: sample names and metric family names (so {@code x_bucket} and {@code x} both count). */
    static Set<String> exposed;
    /** Sample lines of the scrape. */
    static List<String> samples;

    @BeforeAll
    static void runThePipelineAndScrape() throws Exception {
        // Webhook bodies as "id status"; the host collector may raise alarms of its own (a busy CPU), so only the
        // test's alarms are looked for.
        List<String> hooks = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                JsonNode json = JSON.readTree(body.readAllBytes());
                hooks.add(json.path("id").asText() + " " + json.path("status").asText());
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        Map<String, Object> props = new HashMap<>();
        props.put("tocsin.standalone.data-dir", dataDir.toString());
        props.put("tocsin.standalone.kafka-port", freePort());
        props.put("tocsin.standalone.controller-port", freePort());
        props.put("micronaut.server.port", freePort());
        props.put("tocsin.metrics.lag.interval", "1s");
        props.put("tocsin.dispatcher.integrations.ops.service", "webhook");
        props.put("tocsin.dispatcher.integrations.ops.url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
        HttpClient http = HttpClient.newHttpClient();
        try (Standalone tocsin = Standalone.start(new String[0], props)) {
            String ingest = tocsin.createdTokens().get(ApiTokens.Role.INGEST);
            for (String body : List.of(alarm("901", "RAISED"), alarm("902", "RAISED"), alarm("901", "CLEARED"))) {
                HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(tocsin.url() + "/api/v1/ingest/alarms"))
                        .header("Authorization", "Bearer " + ingest).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            }
            // Undecodable records: one for the rules topology (its DLQ sink), one for the dispatcher (the DLQ writer).
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, tocsin.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
                for (String topic : List.of("tocsin.raw.alarms", "tocsin.alarm-events")) {
                    producer.send(new ProducerRecord<>(topic, "cc-1:999".getBytes(StandardCharsets.UTF_8),
                            "not an alarm".getBytes(StandardCharsets.UTF_8))).get();
                }
            }
            Eventually.within(WAIT, () -> assertThat(hooks).contains("901 CREATED", "902 CREATED", "901 ENDED"));
            // Micrometer records jvm_gc_pause_* on the first GC notification; a short run may have had none yet.
            System.gc();
            try {
                Eventually.within(WAIT, () -> {
                    String text = scrape(http, tocsin);
                    read(text);
                    // Counted, not merely registered (the rules' series exist at zero from the start).
                    assertThat(value(text, "tocsin_dlq_records_total{service=\"dispatcher\",stage=\"dispatcher/decode\",topic=\"tocsin.alarm-events\"}"))
                            .isGreaterThanOrEqualTo(1);
                    assertThat(value(text, "tocsin_dlq_records_total{service=\"rules\",stage=\"rules/raw-alarm-decoder\",topic=\"tocsin.raw.alarms\"}"))
                            .isGreaterThanOrEqualTo(1);
                    assertThat(value(text, "tocsin_rules_alarm_events_total{severity=\"CRITICAL\",silenced=\"false\",status=\"CREATED\"}"))
                            .isGreaterThanOrEqualTo(2);
                    assertThat(value(text, "tocsin_rules_alarm_events_total{severity=\"CRITICAL\",silenced=\"false\",status=\"ENDED\"}"))
                            .isGreaterThanOrEqualTo(1);
                    assertThat(text).contains("jvm_gc_pause_seconds_sum");
                    assertThat(text).contains("tocsin_consumer_lag{group=\"tocsin-rules\"").contains("tocsin_consumer_lag{group=\"tocsin-dispatcher\"");
                });
            } finally {
                if (samples != null) {
                    Files.writeString(Path.of("target", "standalone-prometheus.txt"), String.join("\n", samples));
                }
            }
        } finally {
            receiver.stop(0);
        }
    }

    @AfterAll
    static void forget() {
        exposed = null;
        samples = null;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String alarm(String id, String state) {
        return """
                {"source": "cc-1", "alarmId": "%s", "state": "%s", "type": "MySqlDisconnected", "severity": "CRITICAL",
                 "component": "Node", "cluster": "prod", "hostname": "db1", "title": "Server disconnected", "message": "m"}
                """.formatted(id, state);
    }

    /** The value of the sample {@code series} (name and labels as exposed), or -1 when absent. */
    static double value(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        return -1;
    }

    static String scrape(HttpClient http, Standalone tocsin) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(tocsin.url() + "/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("scraping /prometheus failed", e);
        }
    }

    static void read(String text) {
        Set<String> names = new HashSet<>();
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                names.add(line.split(" ")[2]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
                lines.add(line);
            }
        }
        exposed = names;
        samples = lines;
    }

    static JsonNode dashboard() throws IOException {
        return JSON.readTree(DASHBOARD.toFile());
    }

    /** Every panel, those nested in collapsed rows included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            all.add(panel);
            panel.path("panels").forEach(all::add);
        }
        return all;
    }

    @Test
    void theDashboardIsAGrafanaDashboardOnAPrometheusDatasourceVariable() throws IOException {
        JsonNode dashboard = dashboard();
        assertThat(dashboard.path("schemaVersion").asInt()).as("schemaVersion of Grafana 10/11").isGreaterThanOrEqualTo(39);
        assertThat(dashboard.path("uid").asText()).matches("[a-zA-Z0-9_-]{1,40}");
        assertThat(dashboard.path("title").asText()).isNotBlank();
        assertThat(dashboard.has("id")).as("no instance-specific id: the dashboard is imported or provisioned").isFalse();
        JsonNode datasource = null;
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("name").asText().equals("datasource")) {
                datasource = variable;
            }
        }
        assertThat(datasource).as("a ${datasource} variable").isNotNull();
        assertThat(datasource.path("type").asText()).isEqualTo("datasource");
        assertThat(datasource.path("query").asText()).isEqualTo("prometheus");

        List<JsonNode> panels = panels(dashboard);
        assertThat(panels).hasSizeGreaterThan(10);
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels) {
            String name = panel.path("title").asText();
            assertThat(ids.add(panel.path("id").asInt())).as("unique id of " + name).isTrue();
            assertThat(panel.path("gridPos").path("w").asInt()).as("width of " + name).isBetween(1, 24);
            assertThat(panel.path("gridPos").path("h").asInt()).as("height of " + name).isPositive();
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asText()).as("datasource of " + name).isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as("queries of " + name).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("expr").asText()).as("query of " + name).isNotBlank();
                assertThat(target.path("refId").asText()).as("refId of " + name).isNotBlank();
            }
        }
        assertThat(panels).extracting(p -> p.path("title").asText()).contains("Intake", "Classification", "Deliveries",
                "Delivery latency", "Consumer lag", "Dead letters", "JVM memory");
    }

    @Test
    void everyMetricOfTheDashboardIsExposed() throws IOException {
        Map<String, Set<String>> named = new LinkedHashMap<>();
        JsonNode dashboard = dashboard();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                named.computeIfAbsent(panel.path("title").asText(), t -> new TreeSet<>()).addAll(PromQlNames.of(target.path("expr").asText()));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                String query = variable.path("query").isObject() ? variable.path("query").path("query").asText() : variable.path("query").asText();
                // Grafana's label_values(selector, label): the label is not a metric.
                java.util.regex.Matcher labelValues = java.util.regex.Pattern.compile("label_values\\((.+),\\s*\\w+\\s*\\)").matcher(query);
                String selector = labelValues.matches() ? labelValues.group(1) : query;
                named.computeIfAbsent("variable " + variable.path("name").asText(), t -> new TreeSet<>()).addAll(PromQlNames.of(selector));
            }
        }
        assertMetricsExposed(named);
    }

    @Test
    void everyMetricOfTheAlertsIsExposed() throws IOException {
        Map<String, Object> spec;
        try (InputStream in = Files.newInputStream(ALERTS)) {
            spec = new Yaml().load(in);
        }
        assertThat(spec).as("the PrometheusRule spec: groups only").containsOnlyKeys("groups");
        Map<String, Set<String>> named = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> groups = (List<Map<String, Object>>) spec.get("groups");
        assertThat(groups).isNotEmpty();
        for (Map<String, Object> group : groups) {
            assertThat(group.get("name")).isNotNull();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rules = (List<Map<String, Object>>) group.get("rules");
            for (Map<String, Object> rule : rules) {
                String alert = (String) rule.get("alert");
                assertThat(alert).as("alerting rules only").isNotBlank();
                assertThat(rule).as(alert).containsKeys("expr", "for", "labels", "annotations");
                @SuppressWarnings("unchecked")
                Map<String, Object> labels = (Map<String, Object>) rule.get("labels");
                @SuppressWarnings("unchecked")
                Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");
                assertThat(labels.get("severity")).as(alert).isIn("warning", "critical");
                assertThat(annotations).as(alert).containsKeys("summary", "description");
                named.put(alert, new TreeSet<>(PromQlNames.of(rule.get("expr").toString())));
            }
        }
        assertThat(named).containsKeys("TocsinConsumerLagGrowing", "TocsinDeadLettersGrowing", "TocsinDeliveriesFailing", "TocsinServiceDown");
        assertMetricsExposed(named);
    }

    @Test
    void theRulesStreamsEveryKafkaClientAndTheLagOfBothGroupsAreOnPrometheus() {
        assertThat(exposed).anyMatch(n -> n.startsWith("kafka_stream_thread_")).anyMatch(n -> n.startsWith("kafka_stream_topic_"))
                .anyMatch(n -> n.startsWith("kafka_producer_")).anyMatch(n -> n.startsWith("kafka_consumer_"))
                .anyMatch(n -> n.startsWith("kafka_admin_client_"));
        assertThat(samples).anyMatch(s -> s.startsWith("tocsin_consumer_lag_sum{group=\"tocsin-rules\"}"))
                .anyMatch(s -> s.startsWith("tocsin_consumer_lag_sum{group=\"tocsin-dispatcher\"}"));
    }

    @Test
    void theNameReaderFindsMetricsAndNothingElse() {
        assertThat(PromQlNames.of("histogram_quantile(0.95, sum by (le, integration) (rate(tocsin_x_seconds_bucket{job=~\"$job\", a=\"b c\"}[$__rate_interval])))"))
                .containsExactly("tocsin_x_seconds_bucket");
        assertThat(PromQlNames.of("max by (group) (delta(a_lag[15m])) > 0 and on (group) max without (partition) (b_lag offset 1h) > 1e3"))
                .containsExactly("a_lag", "b_lag");
        assertThat(PromQlNames.of("up{job=~\".*tocsin.*\"} == 0 unless ignoring(x) c")).containsExactly("up", "c");
    }

    void assertMetricsExposed(Map<String, Set<String>> namedBy) {
        assertThat(namedBy.values().stream().mapToInt(Set::size).sum()).as("metric names found").isPositive();
        Map<String, Set<String>> missing = new LinkedHashMap<>();
        namedBy.forEach((where, names) -> names.stream().filter(n -> !exposed.contains(n) && !SCRAPE_SERIES.contains(n))
                .forEach(n -> missing.computeIfAbsent(where, w -> new TreeSet<>()).add(n)));
        assertThat(missing).as("metrics named but not on /prometheus after a pipeline run (see target/standalone-prometheus.txt)").isEmpty();
    }
}
