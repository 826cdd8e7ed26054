package io.tocsin.cloud.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.cloud.api.CloudServiceHarness;
import io.tocsin.cloud.api.CredentialBodies;
import io.tocsin.cloud.provider.gcp.GcpFixture;
import io.tocsin.schema.BackupCompleted;
import io.tocsin.schema.BackupOutcome;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.Severity;
import io.tocsin.schema.wire.Codecs;
import io.tocsin.testing.CapturedLogs;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.TopicReader;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The backups API in a running cloud service with the real Google Cloud Storage adapter against
 * {@link GcpFixture}: a multipart upload streamed by the JDK HttpClient arrives byte for byte, is listed and
 * downloads equal; BackupCompleted is in tocsin.backups; a refused upload answers 422 and publishes FAILED and the
 * raised alarm, a later success its clear; bad fields are 400 naming them, an unknown credential 404. The stored
 * key is searched for in every answer, log line and topic record.
 */
@ExtendWith(KafkaBrokerExtension.class)
class BackupsApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PATH = "/api/v1/cloud/backups";

    GcpFixture google;
    CapturedLogs logs;
    CloudServiceHarness cloud;
    final HttpClient http = HttpClient.newHttpClient();
    final List<String> answers = new ArrayList<>();
    String credential;

    @BeforeEach
    void start() throws Exception {
        logs = new CapturedLogs();
        google = new GcpFixture().serveCloudStorage();
        startCloud("100GB");
    }

    void startCloud(String maxSize) throws Exception {
        if (cloud != null) {
            answers.addAll(cloud.answers);
            cloud.close();
        }
        cloud = new CloudServiceHarness()
                .with("tocsin.cloud.backups.max-size", maxSize)
                .with("tocsin.cloud.gcp.storage-endpoint", google.baseUrl())
                .with("tocsin.cloud.gcp.token-endpoint", google.tokenEndpoint())
                .with("tocsin.cloud.gcp.upload-chunk-size", "256KB")
                .with("tocsin.cloud.gcp.max-attempts", "1")
                .start();
        HttpResponse<String> created = cloud.call("POST", "/api/v1/cloud/credentials", CredentialBodies.gcp("gcp-backups"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        credential = JSON.readTree(created.body()).get("id").asText();
    }

    @AfterEach
    void stop() {
        try {
            cloud.close();
            String everything = String.join("\n", answers) + String.join("\n", cloud.answers) + logs.text() + topics();
            for (String secret : List.of(CredentialBodies.GCP_KEY_MARKER, CredentialBodies.GCP_KEY_ID)) {
                assertThat(everything).doesNotContain(secret);
            }
        } finally {
            google.close();
            logs.close();
        }
    }

    @Test
    void aStreamedUploadIsStoredListedAndDownloadedEqual() throws Exception {
        byte[] data = new byte[3 * 256 * 1024 + 1234];
        new Random(7).nextBytes(data);

        HttpResponse<String> uploaded = upload(fields(credential, "backups", "daily/db.tar"), "db.tar", data);

        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(uploaded.body());
        assertThat(body.get("credential").asText()).isEqualTo(credential);
        assertThat(body.get("provider").asText()).isEqualTo("gcp");
        assertThat(body.get("bucket").asText()).isEqualTo("backups");
        assertThat(body.get("key").asText()).isEqualTo("daily/db.tar");
        assertThat(body.get("size").asLong()).isEqualTo(data.length);
        assertThat(body.get("etag").asText()).isNotEmpty();
        assertThat(body.get("lastModified").asText()).as("the object's updated time")
                .isEqualTo(GcpFixture.recordedJson("storage-object.json").get("updated").asText());
        assertThat(google.objects().get("backups/daily/db.tar").bytes()).isEqualTo(data);

        HttpResponse<String> listed = cloud.call("GET", PATH + "?credential=" + credential + "&bucket=backups&prefix=daily/", null);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(listed.body())).hasSize(1);
        assertThat(JSON.readTree(listed.body()).get(0).get("key").asText()).isEqualTo("daily/db.tar");

        HttpResponse<byte[]> downloaded = http.send(request(PATH + "/" + credential + "/backups/content?key=daily/db.tar").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(downloaded.statusCode()).isEqualTo(200);
        assertThat(downloaded.body()).isEqualTo(data);
        assertThat(downloaded.headers().firstValue("Content-Length")).hasValue(Integer.toString(data.length));
        assertThat(downloaded.headers().firstValue("Content-Disposition").orElse("")).contains("filename=\"db.tar\"");
        assertThat(cloud.call("GET", PATH + "/" + credential + "/backups/content?key=daily/none.tar", null).statusCode()).isEqualTo(404);

        List<BackupCompleted> events = events();
        assertThat(events).hasSize(1);
        BackupCompleted event = events.getFirst();
        assertThat(event.getOutcome()).isEqualTo(BackupOutcome.SUCCEEDED);
        assertThat(event.getCredentialId()).isEqualTo(credential);
        assertThat(event.getProvider()).isEqualTo("gcp");
        assertThat(event.getKey()).isEqualTo("daily/db.tar");
        assertThat(event.getSize()).isEqualTo(data.length);
        assertThat(event.getEtag()).isEqualTo(body.get("etag").asText());
        assertThat(event.getSource()).isEqualTo("api");
        assertThat(event.getFinishedAt()).isAfterOrEqualTo(event.getStartedAt());
    }

    @Test
    void withoutAKeyTheFilesSanitisedNameIsUsed() throws Exception {
        Map<String, String> fields = fields(credential, "backups", null);
        HttpResponse<String> uploaded = upload(fields, "my dump (1).sql", "select 1;".getBytes(StandardCharsets.UTF_8));
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        assertThat(JSON.readTree(uploaded.body()).get("key").asText()).isEqualTo("my_dump__1_.sql");
    }

    @Test
    void badFieldsAreNamedAndAnUnknownCredentialIs404() throws Exception {
        byte[] data = "x".getBytes(StandardCharsets.UTF_8);
        assertThat(errorFields(upload(fields(credential, "backups", "../etc/passwd"), "a", data))).containsExactly("key");
        assertThat(errorFields(upload(fields(credential, "backups", "/abs/path"), "a", data))).containsExactly("key");
        assertThat(errorFields(upload(fields(credential, "backups", "a\u0001b"), "a", data))).containsExactly("key");
        assertThat(errorFields(upload(fields("", "Bad Bucket", "k"), "a", data))).containsExactly("credential", "bucket");
        assertThat(errorFields(upload(fields(credential, "backups", "k"), null, null))).containsExactly("file");
        assertThat(errorFields(cloud.call("GET", PATH + "?bucket=backups", null))).containsExactly("credential");

        HttpResponse<String> unknown = upload(fields("no-such-credential", "backups", "k"), "a", data);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(cloud.call("GET", PATH + "?credential=no-such-credential&bucket=backups", null).statusCode()).isEqualTo(404);
        assertThat(google.objects()).isEmpty();
        assertThat(events()).isEmpty();
    }

    @Test
    void aRefusedUploadPublishesFailedAndRaisesTheAlarmWhichALaterSuccessClears() throws Exception {
        google.failUploads(403);
        byte[] data = new byte[600 * 1024];
        new Random(3).nextBytes(data);

        HttpResponse<String> refused = upload(fields(credential, "backups", "nightly.tar"), "nightly.tar", data);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(refused.body()).contains("upload gs://backups/nightly.tar");
        assertThat(google.objects()).as("nothing visible").isEmpty();
        BackupCompleted failed = events().getFirst();
        assertThat(failed.getOutcome()).isEqualTo(BackupOutcome.FAILED);
        assertThat(failed.getError()).contains("403");
        assertThat(failed.getEtag()).isEmpty();

        google.failUploads(0);
        assertThat(upload(fields(credential, "backups", "nightly.tar"), "nightly.tar", data).statusCode()).isEqualTo(201);

        assertThat(events()).extracting(BackupCompleted::getOutcome).containsExactly(BackupOutcome.FAILED, BackupOutcome.SUCCEEDED);
        List<RawAlarm> alarms = TopicReader.readAll(cloud.bootstrap, cloud.prefix + "raw.alarms", Duration.ofSeconds(10)).stream()
                .map(record -> Codecs.RAW_ALARM.decode(record.value())).toList();
        assertThat(alarms).extracting(RawAlarm::getState).containsExactly(RawAlarmState.RAISED, RawAlarmState.CLEARED);
        RawAlarm raised = alarms.getFirst();
        assertThat(raised.getType()).isEqualTo("CloudBackupUploadFailed");
        assertThat(raised.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(raised.getSource()).isEqualTo("tocsin-cloud");
        assertThat(raised.getMessage()).contains("403");
        assertThat(alarms.get(1).getAlarmId()).as("the clear finds its raise").isEqualTo(raised.getAlarmId());
        assertThat(raised.getAlarmId()).isEqualTo(BackupEvents.alarmId(credential, "backups", "nightly.tar"));
    }

    @Test
    void aClientThatGoesAwayMidUploadLeavesNothingVisibleAndAFailedEvent() throws Exception {
        long before = 5L * 256 * 1024;
        java.io.InputStream breaking = new java.io.SequenceInputStream(Multipart.generated(before, 9, null), new java.io.InputStream() {
            @Override
            public int read() throws java.io.IOException {
                throw new java.io.IOException("the client went away");
            }
        });
        HttpRequest request = request(PATH).header("Content-Type", Multipart.CONTENT_TYPE)
                .POST(Multipart.body(fields(credential, "backups", "broken.tar"), "broken.tar", () -> breaking)).build();
        try {
            http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException expected) {
            // the JDK client aborts the exchange when its body stream fails
        }

        io.tocsin.testing.Eventually.within(Duration.ofSeconds(20), () -> assertThat(events()).hasSize(1));
        BackupCompleted failed = events().getFirst();
        assertThat(failed.getOutcome()).isEqualTo(BackupOutcome.FAILED);
        assertThat(failed.getKey()).isEqualTo("broken.tar");
        assertThat(google.objects()).as("the session was never finished, so nothing is listed").isEmpty();
        assertThat(JSON.readTree(cloud.call("GET", PATH + "?credential=" + credential + "&bucket=backups", null).body())).isEmpty();
    }

    @Test
    void aFileOverTheMaxSizeIsRefusedWith413AndNothingIsStored() throws Exception {
        startCloud("1MB");
        byte[] data = new byte[3 * 1024 * 1024];
        new Random(5).nextBytes(data);

        HttpResponse<String> refused = upload(fields(credential, "backups", "huge.tar"), "huge.tar", data);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(413);
        assertThat(refused.body()).contains("tocsin.cloud.backups.max-size");
        assertThat(google.objects()).isEmpty();
        assertThat(events()).extracting(BackupCompleted::getOutcome).containsExactly(BackupOutcome.FAILED);
        assertThat(cloud.bean(BackupSettings.class).maxSize()).isEqualTo(1024 * 1024);
    }

    private List<BackupCompleted> events() {
        return TopicReader.readAll(cloud.bootstrap, cloud.prefix + "backups", Duration.ofSeconds(10)).stream()
                .map(record -> Codecs.BACKUP_COMPLETED.decode(record.value())).toList();
    }

    private String topics() {
        return List.of("backups", "raw.alarms", "cloud.credentials").stream()
                .flatMap(topic -> TopicReader.readAll(cloud.bootstrap, cloud.prefix + topic, Duration.ofSeconds(5)).stream())
                .map(ConsumerRecord::value).filter(value -> value != null)
                .map(value -> new String(value, StandardCharsets.ISO_8859_1)).collect(Collectors.joining("\n"));
    }

    private static Map<String, String> fields(String credential, String bucket, String key) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("credential", credential);
        fields.put("bucket", bucket);
        if (key != null) {
            fields.put("key", key);
        }
        return fields;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + cloud.port() + path))
                .header("Authorization", "Bearer " + CloudServiceHarness.ADMIN_TOKEN);
    }

    private HttpResponse<String> upload(Map<String, String> fields, String fileName, byte[] data) throws Exception {
        HttpResponse<String> response = http.send(request(PATH).header("Content-Type", Multipart.CONTENT_TYPE)
                .POST(Multipart.body(fields, fileName, data == null ? null : () -> new ByteArrayInputStream(data))).build(),
                HttpResponse.BodyHandlers.ofString());
        answers.add(response.statusCode() + " " + response.headers().map() + " " + response.body());
        return response;
    }

    private static List<String> errorFields(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        JSON.readTree(response.body()).get("errors").forEach(error -> fields.add(error.get("field").asText()));
        return fields;
    }
}
