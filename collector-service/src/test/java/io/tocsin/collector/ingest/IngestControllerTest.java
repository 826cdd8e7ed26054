package io.tocsin.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.tocsin.schema.HostMetric;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.wire.Codecs;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.TopicReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The ingest endpoint against a real broker: what is accepted is in Kafka, what is rejected is not. */
@ExtendWith(KafkaBrokerExtension.class)
class IngestControllerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PREFIX = "ingest" + System.nanoTime() + ".";
    static EmbeddedServer server;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "tocsin.kafka.bootstrap-servers", KafkaBrokerExtension.broker().bootstrapServers(),
                "tocsin.kafka.topic-prefix", PREFIX,
                "tocsin.kafka.partitions", 1,
                "tocsin.security.ingest-token", "ingest-secret",
                "tocsin.security.admin-token", "admin-secret"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    HttpResponse<String> post(String token, String body) throws Exception {
        return post("alarms", token, body);
    }

    HttpResponse<String> post(String path, String token, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(server.getURL() + "/api/v1/ingest/" + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void acceptedAlarmsAreInKafkaKeyedByAlarmKeyBeforeThe202() throws Exception {
        String body = """
                [{"source":"cc-1","alarmId":"1","state":"RAISED","type":"HostCpuUsage","title":"CPU","labels":{"dc":"eu1"}},
                 {"source":"cc-1","alarmId":"2","state":"CLEARED"}]""";
        HttpResponse<String> response = post("ingest-secret", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).get("alarmKeys").toString()).isEqualTo("[\"cc-1:1\",\"cc-1:2\"]");

        var records = TopicReader.readAll(server.getApplicationContext().getProperty("tocsin.kafka.bootstrap-servers", String.class).orElseThrow(),
                PREFIX + "raw.alarms", Duration.ofSeconds(10));
        assertThat(records).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).contains("cc-1:1", "cc-1:2");
        RawAlarm first = records.stream().filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("cc-1:1"))
                .map(r -> Codecs.RAW_ALARM.decode(r.value())).findFirst().orElseThrow();
        assertThat(first.getLabels()).containsEntry("dc", "eu1");
        assertThat(post("admin-secret", "{\"source\":\"cc-1\",\"alarmId\":\"3\",\"state\":\"CLEARED\"}").statusCode())
                .as("the admin token also grants ingest").isEqualTo(202);
    }

    @Test
    void invalidInputIsAProblemNamingEachField() throws Exception {
        HttpResponse<String> response = post("ingest-secret", "{\"source\":\"bad source\",\"alarmId\":\"\",\"state\":\"RAISED\",\"sevrity\":1}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("title").asText()).isEqualTo("Bad Request");
        assertThat(problem.get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("source", "alarmId", "type", "title", "sevrity");

        assertThat(post("ingest-secret", "[]").statusCode()).isEqualTo(400);
        assertThat(post("ingest-secret", "{} trailing").statusCode()).isEqualTo(400);
        String tooMany = "[" + "{\"source\":\"a\",\"alarmId\":\"1\",\"state\":\"CLEARED\"},".repeat(1000) + "{\"source\":\"a\",\"alarmId\":\"1\",\"state\":\"CLEARED\"}]";
        HttpResponse<String> big = post("ingest-secret", tooMany);
        assertThat(big.statusCode()).isEqualTo(400);
        assertThat(big.body()).contains("at most 1000 alarms");
    }

    @Test
    void acceptedSamplesAreInKafkaKeyedByHost() throws Exception {
        String body = """
                [{"host":"db1","cluster":"prod","metric":"host.cpu.usage","value":93.5,"timestamp":"2026-11-20T10:00:00Z"},
                 {"host":"db2","metric":"host.disk.usage","instance":"/var","value":12}]""";
        HttpResponse<String> response = post("metrics", "ingest-secret", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).get("accepted").asInt()).isEqualTo(2);

        var records = TopicReader.readAll(KafkaBrokerExtension.broker().bootstrapServers(), PREFIX + "raw.metrics", Duration.ofSeconds(10));
        var byHost = new java.util.HashMap<String, HostMetric>();
        records.forEach(r -> byHost.put(new String(r.key(), StandardCharsets.UTF_8), Codecs.HOST_METRIC.decode(r.value())));
        assertThat(byHost.get("db1").getValue()).isEqualTo(93.5);
        assertThat(byHost.get("db1").getTimestamp()).isEqualTo(java.time.Instant.parse("2026-11-20T10:00:00Z"));
        assertThat(byHost.get("db2").getInstance()).isEqualTo("/var");
    }

    @Test
    void badSamplesAreAProblemNamingTheFieldAndNothingIsWritten() throws Exception {
        String body = """
                [{"host":"db9","metric":"host.cpu.usage","value":1},
                 {"host":"","metric":"host.cpu.usage","value":"high"}]""";
        HttpResponse<String> response = post("metrics", "ingest-secret", body);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("errors").findValuesAsText("field")).contains("[1].value");
        var records = TopicReader.readAll(KafkaBrokerExtension.broker().bootstrapServers(), PREFIX + "raw.metrics", Duration.ofSeconds(3));
        assertThat(records).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).doesNotContain("db9");
    }

    @Test
    void theIngestTokenMayComeAsAQueryParameterButNeverTheAdminPathsOne() throws Exception {
        String clear = "{\"source\":\"cc-1\",\"alarmId\":\"q1\",\"state\":\"CLEARED\"}";
        assertThat(post("alarms?access_token=ingest-secret", null, clear).statusCode()).isEqualTo(202);
        assertThat(post("alarms?access_token=wrong", null, clear).statusCode()).isEqualTo(401);
        HttpResponse<String> admin = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/api/v1/integrations?access_token=admin-secret"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(admin.statusCode()).as("an admin token is never taken from a URL").isEqualTo(401);
    }

    @Test
    void tokensAreRequiredButNotForHealthAndMetrics() throws Exception {
        HttpResponse<String> anonymous = post(null, "{}");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"tocsin\"");
        assertThat(JSON.readTree(anonymous.body()).get("status").asInt()).isEqualTo(401);
        assertThat(post("nope", "{}").statusCode()).isEqualTo(401);

        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).at("/details/kafka/status").asText()).isEqualTo("UP");
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
        HttpResponse<String> openapi = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/swagger/tocsin-collector-0.1.yml")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(openapi.statusCode()).isEqualTo(200);
        assertThat(openapi.body()).contains("/api/v1/ingest/alarms");
    }
}
