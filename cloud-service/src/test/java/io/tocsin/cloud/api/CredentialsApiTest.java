package io.tocsin.cloud.api;

import static io.tocsin.cloud.api.CredentialBodies.AWS_SECRET;
import static io.tocsin.cloud.api.CredentialBodies.AWS_SESSION;
import static io.tocsin.cloud.api.CredentialBodies.AZURE_SECRET;
import static io.tocsin.cloud.api.CredentialBodies.GCP_KEY_ID;
import static io.tocsin.cloud.api.CredentialBodies.GCP_PRIVATE_KEY;
import static io.tocsin.cloud.api.CredentialBodies.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.testing.CapturedLogs;
import io.tocsin.testing.Eventually;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.TopicReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The credentials API against a real cloud service and broker, with test-only provider adapters
 * ({@link RecordingProviders}) that show what reached them. Every secret stored is searched for in every answer,
 * every log line and the raw bytes of the topic.
 */
@ExtendWith(KafkaBrokerExtension.class)
class CredentialsApiTest {

    static final String PATH = "/api/v1/cloud/credentials";
    static final String NEW_AWS_SECRET = "NEWSECRET0replaced0by0a0PUT0aBcDeFgHiJkLm";

    CapturedLogs logs;
    CloudServiceHarness cloud;
    final List<CloudServiceHarness> others = new ArrayList<>();

    @BeforeEach
    void start() {
        logs = new CapturedLogs();
        cloud = new CloudServiceHarness().with("spec.name", RecordingProviders.SPEC).start();
    }

    @AfterEach
    void stop() {
        others.forEach(CloudServiceHarness::close);
        cloud.close();
        logs.close();
    }

    @Test
    void createReadReplaceVerifyAndDeleteWithoutEverShowingASecret() throws Exception {
        JsonNode aws = created(cloud.call("POST", PATH, CredentialBodies.aws("aws-prod")));
        JsonNode gcp = created(cloud.call("POST", PATH, CredentialBodies.gcp("gcp-prod")));
        JsonNode azure = created(cloud.call("POST", PATH, CredentialBodies.azure("azure-prod")));

        assertThat(aws.get("provider").asText()).isEqualTo("aws");
        assertThat(aws.get("defaultRegion").asText()).isEqualTo("eu-west-1");
        assertThat(aws.get("comment").asText()).isEqualTo("made by a test");
        assertThat(aws.get("credentials").toString()).isEqualTo("{\"accessKeyId\":\"AKIAIOSFODNN7EXAMPLE\","
                + "\"secretAccessKey\":\"<redacted>\",\"sessionToken\":\"<redacted>\"}");
        assertThat(aws.get("createdAt").asText()).isEqualTo(aws.get("updatedAt").asText());
        JsonNode key = gcp.get("credentials");
        assertThat(key.get("private_key").asText()).isEqualTo("<redacted>");
        assertThat(key.get("private_key_id").asText()).isEqualTo("<redacted>");
        assertThat(key.get("client_email").asText()).isEqualTo("tocsin@tocsin-test.iam.gserviceaccount.com");
        assertThat(key.get("token_uri").asText()).as("the key file's other fields are kept").isEqualTo("https://oauth2.googleapis.com/token");
        assertThat(key.size()).isEqualTo(CredentialBodies.gcpKeyFile().size());
        assertThat(azure.get("credentials").get("client_secret").asText()).isEqualTo("<redacted>");
        assertThat(azure.get("credentials").get("storage_account").asText()).isEqualTo("mybackupazure");

        JsonNode list = JSON.readTree(cloud.call("GET", PATH, null).body());
        assertThat(list).extracting(node -> node.get("name").asText()).containsExactly("aws-prod", "azure-prod", "gcp-prod");
        assertThat(JSON.readTree(cloud.call("GET", PATH + "/" + id(gcp), null).body())).isEqualTo(gcp);

        // The adapter gets the secrets in clear text: what the API hid is stored intact.
        JsonNode verified = JSON.readTree(cloud.call("POST", PATH + "/" + id(aws) + "/verify", null).body());
        assertThat(verified.toString()).isEqualTo("{\"ok\":true,\"identity\":\"test:aws-prod\",\"detail\":\"accepted by the test provider\"}");
        assertThat(adapter("aws").verified.get(id(aws)).fields()).containsEntry("secretAccessKey", AWS_SECRET)
                .containsEntry("sessionToken", AWS_SESSION);
        assertThat(adapter("aws-unordered").verified).as("the adapter ordered first is used").isEmpty();
        cloud.call("POST", PATH + "/" + id(gcp) + "/verify", null);
        assertThat(adapter("gcp").verified.get(id(gcp)).fields()).containsEntry("private_key", GCP_PRIVATE_KEY)
                .containsEntry("private_key_id", GCP_KEY_ID).hasSize(CredentialBodies.gcpKeyFile().size());
        cloud.call("POST", PATH + "/" + id(azure) + "/verify", null);
        assertThat(adapter("azure").verified.get(id(azure)).field("client_secret")).isEqualTo(AZURE_SECRET);

        // Round trip: a GET body, edited and sent back, keeps the stored secrets ("<redacted>" or left out).
        ObjectNode edited = (ObjectNode) JSON.readTree(cloud.call("GET", PATH + "/" + id(aws), null).body());
        edited.put("name", "aws-renamed").put("defaultRegion", "us-gov-west-1");
        ((ObjectNode) edited.get("credentials")).remove("sessionToken");
        HttpResponse<String> replaced = cloud.call("PUT", PATH + "/" + id(aws), edited.toString());
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        JsonNode renamed = JSON.readTree(replaced.body());
        assertThat(renamed.get("name").asText()).isEqualTo("aws-renamed");
        assertThat(renamed.get("createdAt").asText()).isEqualTo(aws.get("createdAt").asText());
        assertThat(Instant.parse(renamed.get("updatedAt").asText())).isAfterOrEqualTo(Instant.parse(aws.get("createdAt").asText()));
        cloud.call("POST", PATH + "/" + id(aws) + "/verify", null);
        CloudCredential kept = adapter("aws").verified.get(id(aws));
        assertThat(kept.name()).isEqualTo("aws-renamed");
        assertThat(kept.defaultRegion()).isEqualTo("us-gov-west-1");
        assertThat(kept.fields()).containsEntry("secretAccessKey", AWS_SECRET).containsEntry("sessionToken", AWS_SESSION);

        // A new secret replaces the stored one; "" removes an optional secret.
        ((ObjectNode) edited.get("credentials")).put("secretAccessKey", NEW_AWS_SECRET).put("sessionToken", "");
        assertThat(cloud.call("PUT", PATH + "/" + id(aws), edited.toString()).statusCode()).isEqualTo(200);
        cloud.call("POST", PATH + "/" + id(aws) + "/verify", null);
        assertThat(adapter("aws").verified.get(id(aws)).fields()).containsEntry("secretAccessKey", NEW_AWS_SECRET)
                .doesNotContainKey("sessionToken");

        // A second instance on the same topic has every credential, its secrets opened with the shared key.
        CloudServiceHarness other = started(cloud.sibling());
        assertThat(JSON.readTree(other.call("GET", PATH, null).body())).hasSize(3);
        assertThat(other.call("POST", PATH + "/" + id(gcp) + "/verify", null).statusCode()).isEqualTo(200);
        assertThat(adapter(other, "gcp").verified.get(id(gcp)).field("private_key")).isEqualTo(GCP_PRIVATE_KEY);

        // Deleted everywhere; a second delete and unknown ids are 404 problem+json.
        assertThat(cloud.call("DELETE", PATH + "/" + id(azure), null).statusCode()).isEqualTo(204);
        assertThat(adapter(cloud, "azure").forgotten).as("what the adapters keep of it is dropped").containsExactly(id(azure));
        assertThat(adapter(cloud, "gcp").forgotten).contains(id(azure)); // every adapter is told; one holding nothing ignores it
        HttpResponse<String> gone = cloud.call("GET", PATH + "/" + id(azure), null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(cloud.call("DELETE", PATH + "/" + id(azure), null).statusCode()).isEqualTo(404);
        assertThat(cloud.call("POST", PATH + "/" + id(azure) + "/verify", null).statusCode()).isEqualTo(404);
        Eventually.within(Duration.ofSeconds(10), () -> assertThat(other.call("GET", PATH + "/" + id(azure), null).statusCode()).isEqualTo(404));
        Eventually.within(Duration.ofSeconds(10), () -> assertThat(adapter(other, "azure").forgotten)
                .as("the other instance read the deletion and forgot it too").containsExactly(id(azure)));

        // Nowhere a secret: answers of both instances, every log line, the raw records of the topic.
        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readAll(cloud.bootstrap, cloud.prefix + "cloud.credentials", Duration.ofSeconds(10));
        String topic = text(records);
        assertThat(topic).contains("enc:v1:").contains("AKIAIOSFODNN7EXAMPLE").contains("tocsin@tocsin-test.iam.gserviceaccount.com");
        assertThat(records).anySatisfy(record -> assertThat(record.value()).as("the delete is a tombstone").isNull());
        List<String> secrets = new ArrayList<>(CredentialBodies.secrets());
        secrets.add(NEW_AWS_SECRET);
        String answers = String.join("\n", cloud.answers) + String.join("\n", other.answers);
        String logText = logs.text();
        assertThat(logText).as("logs were captured").contains("io.tocsin");
        for (String secret : secrets) {
            assertThat(answers).as("API answers").doesNotContain(secret);
            assertThat(logText).as("log lines").doesNotContain(secret);
            assertThat(topic).as("topic payloads").doesNotContain(secret);
        }
    }

    @Test
    void providerFailuresAreAnsweredWithTheirStatus() throws Exception {
        for (String kind : List.of("DENIED", "NOT_FOUND", "INVALID", "UNAVAILABLE")) {
            String body = CredentialBodies.aws("fails-" + kind).replace("made by a test", "fail:" + kind);
            HttpResponse<String> verified = cloud.call("POST", PATH + "/" + id(created(cloud.call("POST", PATH, body))) + "/verify", null);
            assertThat(verified.statusCode()).as(kind).isEqualTo(switch (kind) {
                case "DENIED" -> 422;
                case "NOT_FOUND" -> 404;
                case "INVALID" -> 400;
                default -> 503;
            });
            assertThat(verified.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(JSON.readTree(verified.body()).get("detail").asText()).isEqualTo("verify: the test provider refuses (fail:" + kind + ")");
            assertThat(verified.headers().firstValue("Retry-After")).isEqualTo(kind.equals("UNAVAILABLE") ? java.util.Optional.of("10") : java.util.Optional.empty());
        }
        assertThat(String.join("\n", cloud.answers)).doesNotContain(AWS_SECRET).doesNotContain(AWS_SESSION);
    }

    @Test
    void conflictsAndMisusesAreRefusedNamingTheField() throws Exception {
        String id = id(created(cloud.call("POST", PATH, CredentialBodies.aws("taken"))));
        String gcpId = id(created(cloud.call("POST", PATH, CredentialBodies.gcp("other"))));

        HttpResponse<String> duplicate = cloud.call("POST", PATH, CredentialBodies.azure("taken"));
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(fields(duplicate)).containsExactly("name");
        assertThat(fields(cloud.call("PUT", PATH + "/" + gcpId, CredentialBodies.gcp("taken")))).containsExactly("name");

        HttpResponse<String> otherProvider = cloud.call("PUT", PATH + "/" + id, CredentialBodies.azure("taken"));
        assertThat(otherProvider.statusCode()).isEqualTo(400);
        assertThat(fields(otherProvider)).containsExactly("provider");

        ObjectNode moved = (ObjectNode) JSON.readTree(CredentialBodies.aws("taken"));
        moved.put("id", gcpId);
        assertThat(fields(cloud.call("PUT", PATH + "/" + id, moved.toString()))).containsExactly("id");
        moved.put("id", id);
        assertThat(cloud.call("PUT", PATH + "/" + id, moved.toString()).statusCode()).isEqualTo(200);
        assertThat(fields(cloud.call("POST", PATH, moved.put("name", "copy").toString()))).containsExactly("id");

        // The placeholder is no value: refused where nothing is stored for it.
        String placeholder = CredentialBodies.aws("new").replace(AWS_SECRET, "<redacted>");
        assertThat(fields(cloud.call("POST", PATH, placeholder))).containsExactly("credentials.secretAccessKey");
        assertThat(cloud.call("PUT", PATH + "/" + id, CredentialBodies.aws("taken").replace(AWS_SESSION, "")).statusCode()).isEqualTo(200);
        HttpResponse<String> nothingStored = cloud.call("PUT", PATH + "/" + id, CredentialBodies.aws("taken").replace(AWS_SESSION, "<redacted>"));
        assertThat(fields(nothingStored)).as(nothingStored.body()).containsExactly("credentials.sessionToken");

        assertThat(cloud.call("PUT", PATH + "/no-such-id", CredentialBodies.aws("x")).statusCode()).isEqualTo(404);
        HttpResponse<String> huge = cloud.call("POST", PATH, CredentialBodies.aws("x").replace("made by a test", "x".repeat(70_000)));
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(fields(huge)).containsExactly("body");
        assertThat(String.join("\n", cloud.answers)).doesNotContain(AWS_SECRET).doesNotContain(AWS_SESSION).doesNotContain(GCP_KEY_ID);
    }

    @Test
    void withoutASecretsKeyNothingIsStored() throws Exception {
        CloudServiceHarness keyless = started(new CloudServiceHarness().with("tocsin.secrets.key", null));
        for (String body : List.of(CredentialBodies.aws("a"), CredentialBodies.gcp("g"), CredentialBodies.azure("z"))) {
            HttpResponse<String> refused = keyless.call("POST", PATH, body);
            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(JSON.readTree(refused.body()).get("detail").asText()).contains("set tocsin.secrets.key");
            assertThat(fields(refused)).allSatisfy(field -> assertThat(field).startsWith("credentials."));
        }
        assertThat(fields(keyless.call("POST", PATH, CredentialBodies.aws("a")))).containsExactly("credentials.secretAccessKey",
                "credentials.sessionToken");
        assertThat(keyless.call("GET", PATH, null).body()).isEqualTo("[]");
        assertThat(TopicReader.readAll(keyless.bootstrap, keyless.prefix + "cloud.credentials", Duration.ofSeconds(5))).isEmpty();
        for (String secret : CredentialBodies.secrets()) {
            assertThat(String.join("\n", keyless.answers)).doesNotContain(secret);
        }
    }

    @Test
    void aCredentialSealedWithAnotherKeyIsLeftOutAndLoggedByItsIdOnly() throws Exception {
        String id = id(created(cloud.call("POST", PATH, CredentialBodies.azure("sealed-elsewhere"))));
        CloudServiceHarness otherKey = started(cloud.sibling().with("tocsin.secrets.key", io.tocsin.common.security.SecretBox.newKey()));
        assertThat(otherKey.call("GET", PATH, null).body()).isEqualTo("[]");
        assertThat(otherKey.call("GET", PATH + "/" + id, null).statusCode()).isEqualTo(404);
        assertThat(logs.lines()).anySatisfy(line -> assertThat(line).contains("Cloud credential " + id + " is left out")
                .contains("do not open").doesNotContain("enc:v1:").doesNotContain("sealed-elsewhere"));
        assertThat(logs.text()).doesNotContain(AZURE_SECRET);
    }

    @Test
    void anonymousCallsAreRefused() throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + cloud.port() + PATH)).build();
        assertThat(java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    static List<String> fields(HttpResponse<String> response) throws Exception {
        List<String> fields = new ArrayList<>();
        JsonNode errors = JSON.readTree(response.body()).get("errors");
        assertThat(errors).as(response.body()).isNotNull();
        errors.forEach(error -> fields.add(error.get("field").asText()));
        return fields;
    }

    RecordingProviders.Recording adapter(String provider) {
        return adapter(cloud, provider);
    }

    static RecordingProviders.Recording adapter(CloudServiceHarness harness, String provider) {
        return harness.bean(RecordingProviders.Recording.class, "test-" + provider);
    }

    CloudServiceHarness started(CloudServiceHarness harness) {
        others.add(harness);
        return harness.start();
    }

    static JsonNode created(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(response.body());
        assertThat(response.headers().firstValue("Location")).hasValue(PATH + "/" + body.get("id").asText());
        return body;
    }

    static String id(JsonNode credential) {
        return credential.get("id").asText();
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
}
