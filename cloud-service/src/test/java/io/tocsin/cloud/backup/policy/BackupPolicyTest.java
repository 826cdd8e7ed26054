package io.tocsin.cloud.backup.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.tocsin.cloud.api.CloudServiceHarness;
import io.tocsin.cloud.api.CredentialBodies;
import io.tocsin.cloud.provider.gcp.GcpFixture;
import io.tocsin.schema.BackupCompleted;
import io.tocsin.schema.BackupOutcome;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.wire.Codecs;
import io.tocsin.testing.CapturedLogs;
import io.tocsin.testing.Eventually;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upload policies in a running cloud service, with real files in a temporary directory, the real Google Cloud
 * Storage adapter against {@link GcpFixture} and a real broker: a settled file is uploaded once, byte for
 * byte, under prefix + relative path, with a SUCCEEDED event of source policy; a growing file waits; files the
 * globs leave out and symbolic links (to a file or a directory outside) never go; a second service on the same topics does not upload again what the first did, but does
 * a file that changed; a 503 publishes FAILED and raises the alarm, the retry after recovery clears it; a missing
 * directory stops the start naming its key. Every log line and topic record is searched for the credential's key.
 */
@ExtendWith(KafkaBrokerExtension.class)
class BackupPolicyTest {

    static final String POLICY = "tocsin.cloud.backups.policies.nightly.";

    @TempDir
    Path dir;
    GcpFixture google;
    CapturedLogs logs;
    final List<CloudServiceHarness> started = new ArrayList<>();

    @BeforeEach
    void fake() throws Exception {
        logs = new CapturedLogs();
        google = new GcpFixture().serveCloudStorage();
    }

    @AfterEach
    void stop() {
        try {
            started.forEach(CloudServiceHarness::close);
            if (!started.isEmpty()) {
                String everything = logs.text() + topics(started.getFirst());
                for (String secret : List.of(CredentialBodies.GCP_KEY_MARKER, CredentialBodies.GCP_KEY_ID)) {
                    assertThat(everything).doesNotContain(secret);
                }
            }
        } finally {
            google.close();
            logs.close();
        }
    }

    CloudServiceHarness harness(String settle) {
        return new CloudServiceHarness()
                .with("tocsin.cloud.gcp.storage-endpoint", google.baseUrl())
                .with("tocsin.cloud.gcp.token-endpoint", google.tokenEndpoint())
                .with("tocsin.cloud.gcp.upload-chunk-size", "256KB")
                .with("tocsin.cloud.gcp.max-attempts", "1")
                .with(POLICY + "directory", dir.toString())
                .with(POLICY + "include", "**.gz")
                .with(POLICY + "exclude", List.of("**tmp*"))
                .with(POLICY + "credential", "gcp-backups")
                .with(POLICY + "bucket", "backups")
                .with(POLICY + "prefix", "cc/")
                .with(POLICY + "settle", settle)
                .with(POLICY + "interval", "100ms");
    }

    CloudServiceHarness start(CloudServiceHarness harness, boolean createCredential) {
        started.add(harness.start());
        if (createCredential) {
            var created = harness.call("POST", "/api/v1/cloud/credentials", CredentialBodies.gcp("gcp-backups"));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        return harness;
    }

    @Test
    void aSettledFileIsUploadedOnceWithItsKeyAndBytesAndTheGlobsLeaveTheOthers() throws Exception {
        byte[] data = random(600 * 1024, 1);
        write("2026-11-22/full.tar.gz", data);
        write("notes.txt", random(100, 2));
        write("tmp-partial.gz", random(100, 3));
        Path outside = Files.write(Files.createTempFile("outside", ".gz"), random(100, 9));
        Files.createSymbolicLink(dir.resolve("link.gz"), outside);
        Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(dir.resolve("elsewhere/dir"), outside.getParent()); // links are never followed
        CloudServiceHarness cloud = start(harness("200ms"), true);

        Eventually.within(Duration.ofSeconds(20), () -> assertThat(google.objects()).containsKey("backups/cc/2026-11-22/full.tar.gz"));
        assertThat(google.objects().get("backups/cc/2026-11-22/full.tar.gz").bytes()).isEqualTo(data);
        Thread.sleep(1000); // ten more scans
        assertThat(google.objects()).containsOnlyKeys("backups/cc/2026-11-22/full.tar.gz");
        List<BackupCompleted> events = events(cloud);
        assertThat(events).hasSize(1);
        BackupCompleted event = events.getFirst();
        assertThat(event.getOutcome()).isEqualTo(BackupOutcome.SUCCEEDED);
        assertThat(event.getSource()).isEqualTo("policy");
        assertThat(event.getKey()).isEqualTo("cc/2026-11-22/full.tar.gz");
        assertThat(event.getBucket()).isEqualTo("backups");
        assertThat(event.getSize()).isEqualTo(data.length);
        assertThat(uploads(cloud, "succeeded")).isEqualTo(1.0);
        Files.delete(outside);
    }

    @Test
    void aGrowingFileIsUploadedOnlyOnceItSettled() throws Exception {
        start(harness("700ms"), true);
        Path file = write("growing.gz", new byte[0]);
        byte[] chunk = random(8 * 1024, 4);
        long until = System.nanoTime() + Duration.ofMillis(2000).toNanos();
        int chunks = 0;
        while (System.nanoTime() < until) {
            Files.write(file, chunk, StandardOpenOption.APPEND);
            chunks++;
            Thread.sleep(50);
            assertThat(google.objects()).as("not uploaded while it grows").isEmpty();
        }
        long size = (long) chunks * chunk.length;

        Eventually.within(Duration.ofSeconds(20), () -> assertThat(google.objects()).containsKey("backups/cc/growing.gz"));
        assertThat(google.objects().get("backups/cc/growing.gz").size()).isEqualTo(size);
        assertThat(events(started.getFirst())).hasSize(1);
    }

    @Test
    void aSecondServiceDoesNotUploadAgainWhatTheFirstDidButAFileThatChanged() throws Exception {
        byte[] first = random(300 * 1024, 5);
        Path file = write("a.gz", first);
        CloudServiceHarness one = start(harness("200ms"), true);
        Eventually.within(Duration.ofSeconds(20), () -> assertThat(events(one)).hasSize(1));
        one.close();

        CloudServiceHarness two = start(one.sibling(), false);
        write("b.gz", random(1000, 6));
        Eventually.within(Duration.ofSeconds(20), () -> assertThat(google.objects()).containsKey("backups/cc/b.gz"));
        Thread.sleep(1000);
        assertThat(events(two)).extracting(BackupCompleted::getKey).containsExactlyInAnyOrder("cc/a.gz", "cc/b.gz");

        byte[] more = random(1000, 7);
        Files.write(file, more, StandardOpenOption.APPEND);
        // tocsin.backups has several partitions: order holds per key only
        Eventually.within(Duration.ofSeconds(20), () -> assertThat(events(two)).filteredOn(e -> e.getKey().equals("cc/a.gz"))
                .hasSize(2).last().extracting(BackupCompleted::getSize).isEqualTo((long) first.length + more.length));
        assertThat(events(two)).hasSize(3).allMatch(e -> e.getOutcome() == BackupOutcome.SUCCEEDED);
        assertThat(google.objects().get("backups/cc/a.gz").size()).isEqualTo(first.length + more.length);
    }

    @Test
    void aFailedUploadRaisesTheAlarmAndTheRetryAfterRecoveryClearsIt() throws Exception {
        google.failUploads(503);
        write("db.gz", random(1000, 8));
        CloudServiceHarness cloud = start(harness("200ms"), true);

        Eventually.within(Duration.ofSeconds(20), () -> assertThat(events(cloud)).isNotEmpty());
        BackupCompleted failed = events(cloud).getFirst();
        assertThat(failed.getOutcome()).isEqualTo(BackupOutcome.FAILED);
        assertThat(failed.getSource()).isEqualTo("policy");
        assertThat(failed.getError()).contains("503");
        assertThat(alarms(cloud).getFirst().getState()).isEqualTo(RawAlarmState.RAISED);
        assertThat(alarms(cloud).getFirst().getType()).isEqualTo("CloudBackupUploadFailed");

        google.failUploads(0);
        Eventually.within(Duration.ofSeconds(20), () -> assertThat(events(cloud).getLast().getOutcome()).isEqualTo(BackupOutcome.SUCCEEDED));
        Eventually.within(Duration.ofSeconds(10), () -> assertThat(alarms(cloud).getLast().getState()).isEqualTo(RawAlarmState.CLEARED));
        assertThat(alarms(cloud)).extracting(RawAlarm::getAlarmId).containsOnly(alarms(cloud).getFirst().getAlarmId());
        assertThat(uploads(cloud, "failed")).isGreaterThanOrEqualTo(1.0);
        assertThat(uploads(cloud, "succeeded")).isEqualTo(1.0);
        assertThat(google.objects()).containsOnlyKeys("backups/cc/db.gz");
    }

    @Test
    void aMissingDirectoryStopsTheStartNamingItsKey() {
        CloudServiceHarness cloud = harness("200ms").with(POLICY + "directory", dir.resolve("missing").toString());
        assertThatThrownBy(cloud::start).satisfies(e -> assertThat(messages(e))
                .contains("tocsin.cloud.backups.policies.nightly.directory").contains("does not exist"));
    }

    @Test
    void theBackoffDoublesUpToAnHour() {
        assertThat(PolicyScanner.backoff(Duration.ofSeconds(30), 1)).isEqualTo(Duration.ofSeconds(60));
        assertThat(PolicyScanner.backoff(Duration.ofSeconds(30), 3)).isEqualTo(Duration.ofSeconds(240));
        assertThat(PolicyScanner.backoff(Duration.ofSeconds(30), 40)).isEqualTo(Duration.ofHours(1));
    }

    private Path write(String relative, byte[] data) throws Exception {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.write(file, data);
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static double uploads(CloudServiceHarness cloud, String outcome) {
        var counter = cloud.bean(MeterRegistry.class).find("tocsin.cloud.backups.policy.uploads")
                .tags("policy", "nightly", "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    private static List<BackupCompleted> events(CloudServiceHarness cloud) {
        return TopicReader.readAll(cloud.bootstrap, cloud.prefix + "backups", Duration.ofSeconds(10)).stream()
                .map(record -> Codecs.BACKUP_COMPLETED.decode(record.value())).toList();
    }

    private static List<RawAlarm> alarms(CloudServiceHarness cloud) {
        return TopicReader.readAll(cloud.bootstrap, cloud.prefix + "raw.alarms", Duration.ofSeconds(10)).stream()
                .map(record -> Codecs.RAW_ALARM.decode(record.value())).toList();
    }

    private static String topics(CloudServiceHarness cloud) {
        return List.of("backups", "raw.alarms", "cloud.credentials").stream()
                .flatMap(topic -> TopicReader.readAll(cloud.bootstrap, cloud.prefix + topic, Duration.ofSeconds(5)).stream())
                .map(ConsumerRecord::value).filter(value -> value != null)
                .map(value -> new String(value, StandardCharsets.ISO_8859_1)).collect(Collectors.joining("\n"));
    }
}
