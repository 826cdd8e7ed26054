package io.tocsin.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.common.dlq.DeadLetterHeaders;
import io.tocsin.common.security.ApiTokens;
import io.tocsin.testing.Eventually;
import io.tocsin.testing.SwaggerUiPage;
import io.tocsin.testing.TopicReader;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton end to end, on the standalone with its embedded broker: HTTP ingest, the rules
 * topology, the webhook dispatcher, the DLQ, and state surviving a restart; and the API docs it serves.
 */
class StandaloneEndToEndTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(30);
    /** How long "nothing more arrives" is watched for, after a later alarm has already gone through. */
    static final Duration QUIET = Duration.ofSeconds(2);

    final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    Map<String, Object> settings(int kafkaPort, int controllerPort, WebhookReceiver receiver) throws IOException {
        Map<String, Object> props = new HashMap<>();
        props.put("tocsin.standalone.data-dir", dataDir.toString());
        props.put("tocsin.standalone.kafka-port", kafkaPort);
        props.put("tocsin.standalone.controller-port", controllerPort);
        props.put("micronaut.server.port", freePort());
        props.put("tocsin.dispatcher.integrations.ops.service", "webhook");
        props.put("tocsin.dispatcher.integrations.ops.url", receiver.url());
        return props;
    }

    HttpResponse<String> post(Standalone tocsin, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(tocsin.url() + "/api/v1/ingest/alarms"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String raise(String id) {
        return """
                {"source": "cc-1", "alarmId": "%s", "state": "RAISED", "type": "MySqlDisconnected", "severity": "CRITICAL",
                 "component": "Node", "cluster": "prod-galera", "hostname": "192.168.20.62", "title": "Server disconnected",
                 "message": "PostgreSQL server on 192.168.20.62:5432 disconnected", "recommendation": "Check node status on UI."}
                """.formatted(id);
    }

    static String clear(String id) {
        return "{\"source\": \"cc-1\", \"alarmId\": \"" + id + "\", \"state\": \"CLEARED\"}";
    }

    void accepted(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    @Test
    void oneAlarmEndToEndAcrossARestart() throws Exception {
        int kafkaPort = freePort();
        int controllerPort = freePort();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String ingest;
            try (Standalone tocsin = Standalone.start(new String[0], settings(kafkaPort, controllerPort, receiver))) {
                ingest = tocsin.createdTokens().get(ApiTokens.Role.INGEST);
                assertThat(ingest).startsWith("tocsin_ingest_");
                assertThat(tocsin.createdTokens()).containsKey(ApiTokens.Role.ADMIN);
                Eventually.within(Duration.ofSeconds(20), () -> assertThat(health(tocsin)).isEqualTo("UP"));

                rejectsBadInputAndWritesNothing(tocsin, ingest);
                // One Swagger UI over the four services' documents, from the jar, without a token.
                assertThat(SwaggerUiPage.assertServedFromTheServer(tocsin.url())).containsExactly("/swagger/tocsin-collector-0.1.yml",
                        "/swagger/tocsin-rules-0.1.yml", "/swagger/tocsin-dispatcher-0.1.yml", "/swagger/tocsin-cloud-0.1.yml");

                accepted(post(tocsin, ingest, raise("470")));
                accepted(post(tocsin, ingest, raise("470")));
                Eventually.within(WAIT, () -> assertThat(receiver.bodiesFor("470")).hasSize(1));
                JsonNode created = receiver.bodiesFor("470").getFirst();
                assertThat(fieldNames(created)).containsExactly("id", "status", "component", "hostname", "title", "message",
                        "recommendation", "severity");
                assertThat(created.get("id").isNumber()).as("ClusterControl sends a numeric id").isTrue();
                assertThat(created.get("id").asLong()).isEqualTo(470);
                assertThat(created.get("status").asText()).isEqualTo("CREATED");
                assertThat(created.get("severity").asText()).isEqualTo("CRITICAL");
                assertThat(created.get("hostname").asText()).isEqualTo("192.168.20.62");

                accepted(post(tocsin, ingest, clear("470")));
                Eventually.within(WAIT, () -> assertThat(receiver.bodiesFor("470")).hasSize(2));
                JsonNode ended = receiver.bodiesFor("470").get(1);
                assertThat(ended.get("status").asText()).isEqualTo("ENDED");
                assertThat(ended.get("id").asLong()).isEqualTo(470);
                assertThat(fieldNames(ended)).hasSize(8);

                accepted(post(tocsin, ingest, clear("470")));
                poisonGoesToTheDlqAndTheNextRecordIsProcessed(tocsin, ingest, receiver);
                assertThat(receiver.bodiesFor("470")).as("a second clear yields nothing").hasSize(2);

                accepted(post(tocsin, ingest, raise("472")));
                Eventually.within(WAIT, () -> assertThat(receiver.bodiesFor("472")).hasSize(1));
            }

            try (Standalone restarted = Standalone.start(new String[0], settings(kafkaPort, controllerPort, receiver))) {
                assertThat(restarted.createdTokens()).as("tokens are created once").isEmpty();
                Eventually.within(Duration.ofSeconds(20), () -> assertThat(health(restarted)).isEqualTo("UP"));
                accepted(post(restarted, ingest, clear("471")));
                Eventually.within(WAIT, () -> assertThat(receiver.bodiesFor("471")).extracting(b -> b.get("status").asText())
                        .containsExactly("CREATED", "ENDED"));
                accepted(post(restarted, ingest, raise("472")));
                accepted(post(restarted, ingest, raise("473")));
                Eventually.within(WAIT, () -> assertThat(receiver.bodiesFor("473")).hasSize(1));
                Thread.sleep(QUIET.toMillis());
                assertThat(receiver.bodiesFor("472")).as("a re-raise of an alarm open before the restart yields nothing").hasSize(1);
            }
        }
    }

    HttpResponse<String> api(Standalone tocsin, String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(tocsin.url() + path))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Integrations (dispatcher) and cloud credentials (cloud service): both APIs on the one port, sealed with the one key. */
    @Test
    void integrationsAndCloudCredentialsCreatedThroughTheApiKeepTheirEncryptedSecretsAcrossARestart() throws Exception {
        int kafkaPort = freePort();
        int controllerPort = freePort();
        String cloudSecret = "wJalrXUtnFEMI/K7MDENG/STANDALONE0SECRET0key";
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String admin;
            String id;
            String credentialId;
            try (Standalone tocsin = Standalone.start(new String[0], settings(kafkaPort, controllerPort, receiver))) {
                admin = tocsin.createdTokens().get(ApiTokens.Role.ADMIN);
                java.nio.file.Path key = dataDir.resolve("secrets.key");
                assertThat(java.nio.file.Files.getPosixFilePermissions(key)).containsExactlyInAnyOrder(
                        java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
                Eventually.within(Duration.ofSeconds(20), () -> assertThat(health(tocsin)).isEqualTo("UP"));
                HttpResponse<String> created = api(tocsin, admin, "POST", "/api/v1/integrations",
                        "{\"name\": \"api-ops\", \"service\": \"webhook\", \"config\": {\"url\": \"" + receiver.url() + "/SECRET-77\"}}");
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                assertThat(created.body()).doesNotContain("SECRET-77");
                id = JSON.readTree(created.body()).get("id").asText();
                HttpResponse<String> credential = api(tocsin, admin, "POST", "/api/v1/cloud/credentials", "{\"provider\": \"aws\", "
                        + "\"name\": \"prod\", \"defaultRegion\": \"eu-west-1\", \"credentials\": {\"accessKeyId\": \"AKIAIOSFODNN7EXAMPLE\", "
                        + "\"secretAccessKey\": \"" + cloudSecret + "\"}}");
                assertThat(credential.statusCode()).as(credential.body()).isEqualTo(201);
                credentialId = JSON.readTree(credential.body()).get("id").asText();
                bodyLimits(tocsin, admin);
            }
            try (Standalone restarted = Standalone.start(new String[0], settings(kafkaPort, controllerPort, receiver))) {
                Eventually.within(Duration.ofSeconds(20), () -> assertThat(health(restarted)).isEqualTo("UP"));
                HttpResponse<String> listed = api(restarted, admin, "GET", "/api/v1/integrations", null);
                assertThat(listed.body()).contains("\"api-ops\"").contains("\"ops\"").doesNotContain("SECRET-77");
                HttpResponse<String> tested = api(restarted, admin, "POST", "/api/v1/integrations/" + id + "/test", null);
                assertThat(JSON.readTree(tested.body()).get("ok").asBoolean()).as(tested.body()).isTrue();
                assertThat(receiver.bodies()).anySatisfy(body ->
                        assertThat(body.get("title").asText()).isEqualTo("Tocsin test notification"));
                HttpResponse<String> credential = api(restarted, admin, "GET", "/api/v1/cloud/credentials/" + credentialId, null);
                assertThat(credential.statusCode()).as("opened with the key in the data directory: " + credential.body()).isEqualTo(200);
                assertThat(JSON.readTree(credential.body()).at("/credentials/secretAccessKey").asText()).isEqualTo("<redacted>");
                assertThat(TopicReader.readAll(restarted.bootstrapServers(), "tocsin.cloud.credentials", Duration.ofSeconds(10)))
                        .singleElement().satisfies(record -> assertThat(new String(record.value(), StandardCharsets.ISO_8859_1))
                                .contains("enc:v1:").doesNotContain(cloudSecret));
            }
        }
    }

    /**
     * One server, two limits: a 2 MB JSON body is refused (413 naming max-request-buffer-size), while a 2 MB backup
     * upload gets past the request limit to the endpoint (here: 404, its credential does not exist, so that no cloud
     * is called; under a 1 MB request limit it would be 413 before the endpoint ran).
     */
    void bodyLimits(Standalone tocsin, String admin) throws Exception {
        String big = "[" + String.join(",", java.util.Collections.nCopies(7_000, raise("big"))) + "]";
        assertThat(big.length()).isGreaterThan(2_000_000);
        HttpResponse<String> refused = post(tocsin, tocsin.createdTokens().get(ApiTokens.Role.INGEST), big);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(413);
        assertThat(JSON.readTree(refused.body()).get("detail").asText()).contains("micronaut.server.max-request-buffer-size");

        String boundary = "tocsin-standalone-boundary";
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"credential\"\r\n\r\nno-such-credential\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"bucket\"\r\n\r\nbackups\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"db.tar\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        byte[] file = new byte[2 * 1024 * 1024];
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(URI.create(tocsin.url() + "/api/v1/cloud/backups"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(404);
        assertThat(upload.body()).contains("no-such-credential");
    }

    void rejectsBadInputAndWritesNothing(Standalone tocsin, String ingest) throws Exception {
        HttpResponse<String> anonymous = post(tocsin, null, raise("1"));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(post(tocsin, "wrong-token", raise("1")).statusCode()).isEqualTo(401);

        HttpResponse<String> malformed = post(tocsin, ingest, "{\"source\": \"cc-1\", ");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(JSON.readTree(malformed.body()).at("/errors/0/field").asText()).isEqualTo("body");
        assertThat(JSON.readTree(malformed.body()).at("/errors/0/message").asText()).contains("not valid JSON");

        HttpResponse<String> invalid = post(tocsin, ingest, "[" + raise("2") + ", {\"source\": \"cc-1\", \"state\": \"OPEN\"}]");
        assertThat(invalid.statusCode()).isEqualTo(400);
        JsonNode problem = JSON.readTree(invalid.body());
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("[1].alarmId", "[1].state");

        assertThat(TopicReader.readAll(tocsin.bootstrapServers(), "tocsin.raw.alarms", Duration.ofSeconds(10)))
                .as("rejected requests write nothing, not even their valid elements").isEmpty();
    }

    void poisonGoesToTheDlqAndTheNextRecordIsProcessed(Standalone tocsin, String ingest, WebhookReceiver receiver) throws Exception {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, tocsin.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        byte[] poison = "this is not an alarm".getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>("tocsin.raw.alarms", "cc-1:471".getBytes(StandardCharsets.UTF_8), poison)).get();
        }
        accepted(post(tocsin, ingest, raise("471")));
        Eventually.within(WAIT, () -> assertThat(receiver.bodiesFor("471")).hasSize(1));
        Eventually.within(WAIT, () -> {
            var dead = TopicReader.readAll(tocsin.bootstrapServers(), "tocsin.dlq", Duration.ofSeconds(10));
            assertThat(dead).hasSize(1);
            assertThat(dead.getFirst().value()).isEqualTo(poison);
            var headers = dead.getFirst().headers();
            assertThat(DeadLetterHeaders.text(headers, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("tocsin.raw.alarms");
            assertThat(DeadLetterHeaders.text(headers, DeadLetterHeaders.SOURCE_OFFSET)).isNotBlank();
            assertThat(DeadLetterHeaders.text(headers, DeadLetterHeaders.ERROR_MESSAGE)).contains("neither Avro single-object encoding nor valid JSON");
        });
    }

    String health(Standalone tocsin) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(tocsin.url() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body()).get("status").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
