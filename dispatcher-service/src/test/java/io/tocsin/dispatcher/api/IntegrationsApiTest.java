package io.tocsin.dispatcher.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.dispatcher.testing.DispatcherHarness;
import io.tocsin.dispatcher.testing.RecordingReceiver;
import io.tocsin.testing.Eventually;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.TopicReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The integrations API against a real dispatcher, broker and receiver. */
@ExtendWith(KafkaBrokerExtension.class)
class IntegrationsApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String URL_TOKEN = "URLTOKEN-7f3a9c";
    static final String SIGNING_SECRET = "whsec-SIGNINGSECRET-44d1e";
    static final String HEADER_KEY = "HEADERKEY-90ab";

    DispatcherHarness tocsin;
    RecordingReceiver receiver;
    final List<String> answers = new ArrayList<>();
    final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    PrintStream originalOut;

    @BeforeEach
    void start() throws Exception {
        // Logback's console appender writes to whatever System.out is at the time: capture the logs.
        originalOut = System.out;
        System.setOut(new PrintStream(new TeeStream(originalOut, logs), true, StandardCharsets.UTF_8));
        receiver = new RecordingReceiver();
        tocsin = new DispatcherHarness().start(Map.of(
                "tocsin.dispatcher.integrations.declared-ops.service", "webhook",
                "tocsin.dispatcher.integrations.declared-ops.url", receiver.url("/declared")));
    }

    @AfterEach
    void stop() {
        tocsin.close();
        receiver.close();
        System.setOut(originalOut);
    }

    HttpResponse<String> call(String method, String path, String body) {
        HttpResponse<String> response = tocsin.call(method, path, body);
        answers.add(response.body());
        return response;
    }

    String webhook(String name, String path) {
        return """
                {"name": "%s", "service": "webhook", "config": {"url": "%s", "secret": "%s", "header.X-Api-Key": "%s"},
                 "clusters": [], "events": ["All Critical Events"], "enabled": true, "sendEnded": true, "backfill": false}
                """.formatted(name, receiver.url(path + "/" + URL_TOKEN), SIGNING_SECRET, HEADER_KEY);
    }

    @Test
    void createReadUpdateTestAndDeleteWithoutEverShowingASecret() throws Exception {
        // Every secret below is searched for in every API answer, every log line and every topic payload.
        HttpResponse<String> created = call("POST", "/api/v1/integrations", webhook("ops", "/hook"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(created.body());
        String id = body.get("id").asText();
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/integrations/" + id);
        assertThat(body.get("createdAt").asText()).isNotBlank();
        assertThat(body.get("config").get("url").asText()).isEqualTo("********");
        assertThat(body.get("config").get("secret").asText()).isEqualTo("********");
        assertThat(body.get("config").get("header.X-Api-Key").asText()).isEqualTo("********");
        assertThat(body.get("events").get(0).asText()).isEqualTo("All Critical Events");
        assertThat(body.get("readOnly").asBoolean()).isFalse();

        JsonNode list = JSON.readTree(call("GET", "/api/v1/integrations", null).body());
        assertThat(list).extracting(node -> node.get("name").asText()).containsExactly("declared-ops", "ops");
        assertThat(list.get(0).get("readOnly").asBoolean()).isTrue();
        assertThat(JSON.readTree(call("GET", "/api/v1/integrations/" + id, null).body()).get("name").asText()).isEqualTo("ops");

        // The stored test notification reaches the receiver, with the URL, header and signature the API hid.
        HttpResponse<String> tested = call("POST", "/api/v1/integrations/" + id + "/test", null);
        assertThat(tested.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(tested.body()).get("ok").asBoolean()).isTrue();
        RecordingReceiver.Request test = receiver.requests().getLast();
        assertThat(test.path()).isEqualTo("/hook/" + URL_TOKEN);
        assertThat(test.headers()).containsEntry("x-api-key", HEADER_KEY).containsKey("webhook-signature");
        assertThat(test.body()).contains("\"title\":\"Tocsin test notification\"");

        // PUT with the placeholder keeps the stored secrets; the rename applies.
        String update = webhook("ops-renamed", "/hook").replace(receiver.url("/hook/" + URL_TOKEN), "********")
                .replace(SIGNING_SECRET, "********").replace(HEADER_KEY, "********");
        HttpResponse<String> updated = call("PUT", "/api/v1/integrations/" + id, update);
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(JSON.readTree(updated.body()).get("createdAt").asText()).isEqualTo(body.get("createdAt").asText());
        call("POST", "/api/v1/integrations/" + id + "/test", null);
        assertThat(receiver.requests().getLast().path()).isEqualTo("/hook/" + URL_TOKEN);
        assertThat(receiver.requests().getLast().headers()).containsEntry("x-api-key", HEADER_KEY);

        // A failing receiver: ok false with its status, no secret in the error.
        receiver.thenAnswer(RecordingReceiver.Response.status(401));
        JsonNode refused = JSON.readTree(call("POST", "/api/v1/integrations/" + id + "/test", null).body());
        assertThat(refused.get("ok").asBoolean()).isFalse();
        assertThat(refused.get("status").asInt()).isEqualTo(401);
        assertThat(refused.get("error").asText()).isEqualTo("HTTP 401");

        // An unsaved body can be tested too.
        JsonNode unsaved = JSON.readTree(call("POST", "/api/v1/integrations/test", webhook("draft", "/draft")).body());
        assertThat(unsaved.get("ok").asBoolean()).isTrue();
        assertThat(receiver.requests().getLast().path()).isEqualTo("/draft/" + URL_TOKEN);

        // Deliveries through the engine: one accepted, one refused (dead-lettered), so every topic has records.
        java.time.Instant now = java.time.Instant.now();
        receiver.thenAnswer(RecordingReceiver.Response.status(400));
        for (String alarmId : List.of("600", "601")) {
            io.tocsin.schema.AlarmEvent event = io.tocsin.schema.AlarmEvent.newBuilder(
                    io.tocsin.dispatcher.testing.TestEvents.event(alarmId, io.tocsin.schema.AlarmEventStatus.CREATED))
                    .setOpenedAt(now).setEventId("cmon:" + alarmId + "/" + now.toEpochMilli() + "/1").build();
            tocsin.produce(event);
        }
        Eventually.within(Duration.ofSeconds(20), () -> assertThat(TopicReader.readAll(tocsin.bootstrap, tocsin.prefix + "dlq",
                Duration.ofSeconds(5))).hasSize(1));
        Eventually.within(Duration.ofSeconds(20), () -> assertThat(call("GET", "/api/v1/deliveries", null).body()).contains("\"total\":4,"));

        // Another dispatcher instance on the same topic applies the stored integration, secrets decrypted.
        try (DispatcherHarness other = sibling()) {
            Eventually.within(Duration.ofSeconds(10), () -> assertThat(other.call("GET", "/api/v1/integrations/" + id, null).statusCode()).isEqualTo(200));
            assertThat(JSON.readTree(other.call("POST", "/api/v1/integrations/" + id + "/test", null).body()).get("ok").asBoolean()).isTrue();
            assertThat(receiver.requests().getLast().path()).isEqualTo("/hook/" + URL_TOKEN);
        }

        assertThat(call("DELETE", "/api/v1/integrations/" + id, null).statusCode()).isEqualTo(204);
        HttpResponse<String> gone = call("GET", "/api/v1/integrations/" + id, null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));

        // The integrations topic holds only ciphertext; no topic of this dispatcher holds a secret.
        List<ConsumerRecord<byte[], byte[]>> stored = TopicReader.readAll(tocsin.bootstrap, tocsin.prefix + "integrations", Duration.ofSeconds(10));
        assertThat(stored).isNotEmpty();
        assertThat(text(stored)).contains("enc:v1:");
        StringBuilder payloads = new StringBuilder();
        for (String topic : List.of("integrations", "deliveries", "dlq", "alarm-events")) {
            payloads.append(text(TopicReader.readAll(tocsin.bootstrap, tocsin.prefix + topic, Duration.ofSeconds(10))));
        }
        for (String secret : List.of(URL_TOKEN, SIGNING_SECRET, HEADER_KEY)) {
            assertThat(payloads).as("topic payloads").doesNotContain(secret);
            assertThat(answers).as("API answers").allSatisfy(answer -> assertThat(answer).doesNotContain(secret));
            assertThat(logs.toString(StandardCharsets.UTF_8)).as("logs").doesNotContain(secret);
        }
        assertThat(logs.toString(StandardCharsets.UTF_8)).as("logs were captured").contains("Dispatcher started");
    }

    /** Keys, values and header values of the records, as one string to search. */
    static String text(List<ConsumerRecord<byte[], byte[]>> records) {
        StringBuilder text = new StringBuilder();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.key() != null) {
                text.append(new String(record.key(), StandardCharsets.ISO_8859_1));
            }
            if (record.value() != null) {
                text.append(new String(record.value(), StandardCharsets.ISO_8859_1));
            }
            record.headers().forEach(header -> text.append(new String(header.value(), StandardCharsets.ISO_8859_1)));
        }
        return text.toString();
    }

    DispatcherHarness sibling() {
        DispatcherHarness other = new DispatcherHarness() {
            @Override
            public Map<String, Object> properties() {
                Map<String, Object> props = super.properties();
                props.put("tocsin.kafka.topic-prefix", tocsin.prefix);
                props.put("tocsin.secrets.key", tocsin.secretsKey);
                props.put("tocsin.dispatcher.enabled", "false");
                return props;
            }
        };
        return other.start(Map.of());
    }

    @Test
    void invalidBodiesAreRefusedNamingTheField() throws Exception {
        HttpResponse<String> noUrl = call("POST", "/api/v1/integrations", "{\"name\": \"x\", \"service\": \"webhook\", \"config\": {}}");
        assertThat(noUrl.statusCode()).isEqualTo(400);
        assertThat(fields(noUrl)).containsExactly("config.url");

        HttpResponse<String> badUrl = call("POST", "/api/v1/integrations",
                "{\"name\": \"x\", \"service\": \"webhook\", \"config\": {\"url\": \"ftp://h/" + URL_TOKEN + "\"}}");
        assertThat(fields(badUrl)).containsExactly("config.url");
        assertThat(badUrl.body()).doesNotContain(URL_TOKEN);

        HttpResponse<String> unknown = call("POST", "/api/v1/integrations", "{\"name\": \"x\", \"service\": \"carrier-pigeon\", \"config\": {}}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(fields(unknown)).containsExactly("service");
        assertThat(unknown.body()).contains("supported services").contains("webhook");

        HttpResponse<String> shapes = call("POST", "/api/v1/integrations",
                "{\"service\": 3, \"config\": [], \"events\": [\"All Events\", \"Bogus\"], \"enabled\": \"yes\", \"colour\": \"red\"}");
        assertThat(fields(shapes)).containsExactlyInAnyOrder("name", "service", "config", "events[1]", "enabled", "colour");

        assertThat(call("POST", "/api/v1/integrations", "{not json").statusCode()).isEqualTo(400);

        HttpResponse<String> typo = call("POST", "/api/v1/integrations", "{\"name\": \"x\", \"service\": \"webhook\", \"config\": "
                + "{\"url\": \"https://h/x\", \"formt\": \"extended\", \"rate-limit\": \"-1\", \"rate-burst\": \"many\"}}");
        assertThat(fields(typo)).containsExactlyInAnyOrder("config.formt", "config.rate-limit", "config.rate-burst");
        assertThat(typo.body()).contains("is not a setting of the webhook channel");

        call("POST", "/api/v1/integrations", webhook("taken", "/a"));
        HttpResponse<String> duplicate = call("POST", "/api/v1/integrations", webhook("taken", "/b"));
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(fields(duplicate)).containsExactly("name");
    }

    @Test
    void theTestOfAServiceThatKeepsIncidentsOpenResolvesItsTestIncident() throws Exception {
        String pagerDuty = """
                {"name": "pd", "service": "pagerduty", "config": {"routingKey": "R0UT1NGKEY0123456789abcdefABCDEF", "url": "%s"},
                 "clusters": [], "events": [], "enabled": true, "sendEnded": true, "backfill": false}
                """.formatted(receiver.url("/pd/v2/enqueue"));
        String id = JSON.readTree(call("POST", "/api/v1/integrations", pagerDuty).body()).get("id").asText();
        JsonNode tested = JSON.readTree(call("POST", "/api/v1/integrations/" + id + "/test", null).body());
        assertThat(tested.get("ok").asBoolean()).as(tested.toString()).isTrue();
        List<JsonNode> events = new ArrayList<>();
        for (RecordingReceiver.Request request : receiver.requests()) {
            if (request.path().equals("/pd/v2/enqueue")) {
                events.add(JSON.readTree(request.body()));
            }
        }
        assertThat(events).extracting(e -> e.get("event_action").asText()).containsExactly("trigger", "resolve");
        assertThat(events.get(1).get("dedup_key").asText()).isEqualTo(events.get(0).get("dedup_key").asText()).startsWith("tocsin:test-");
        assertThat(String.join("\n", answers)).doesNotContain("R0UT1NGKEY0123456789abcdefABCDEF");
    }

    @Test
    void declaredIntegrationsAreReadOnly() throws Exception {
        HttpResponse<String> put = call("PUT", "/api/v1/integrations/declared-ops", webhook("declared-ops", "/x"));
        assertThat(put.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(put.body()).get("detail").asText()).contains("tocsin.dispatcher.integrations.declared-ops");
        assertThat(call("DELETE", "/api/v1/integrations/declared-ops", null).statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(call("POST", "/api/v1/integrations/declared-ops/test", null).body()).get("ok").asBoolean()).isTrue();
        assertThat(receiver.requests().getLast().path()).isEqualTo("/declared");
    }

    @Test
    void withoutASecretsKeySecretsAreNotStored() throws Exception {
        try (DispatcherHarness keyless = new DispatcherHarness() {
            @Override
            public Map<String, Object> properties() {
                Map<String, Object> props = super.properties();
                props.remove("tocsin.secrets.key");
                props.put("tocsin.dispatcher.enabled", "false");
                return props;
            }
        }.start(Map.of())) {
            HttpResponse<String> refused = keyless.call("POST", "/api/v1/integrations", webhook("ops", "/hook"));
            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(JSON.readTree(refused.body()).get("detail").asText()).contains("tocsin.secrets.key");
            assertThat(refused.body()).doesNotContain(URL_TOKEN).doesNotContain(SIGNING_SECRET);
            assertThat(keyless.call("GET", "/api/v1/integrations", null).body()).isEqualTo("[]");
        }
    }

    @Test
    void anonymousCallsAreRefused() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:"
                + tocsin.bean(io.micronaut.runtime.server.EmbeddedServer.class).getPort() + "/api/v1/integrations")).build();
        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    static List<String> fields(HttpResponse<String> response) throws Exception {
        List<String> fields = new ArrayList<>();
        JSON.readTree(response.body()).get("errors").forEach(error -> fields.add(error.get("field").asText()));
        return fields;
    }

    /** Writes to two streams. */
    static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int value) throws java.io.IOException {
            a.write(value);
            b.write(value);
        }

        @Override
        public synchronized void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }
}
