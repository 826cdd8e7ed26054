package io.tocsin.rules.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.testing.Eventually;
import io.tocsin.testing.KafkaBrokerExtension;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/alarms}, {@code /alarms/{key}} and {@code /alarms/status} against a running rules service fed with
 * raw alarms in the native JSON shape (DESIGN.md section 4) on the real broker. The instance has no advertised
 * address, so it answers from its own partitions (three of them, all its own). A silence of source cc-2 (created
 * through the silences API) marks that source's alarm.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AlarmsApiTest {

    static final String PCMK_ID = "node1/res-ip/monitor";
    /** Event times start after the silence has: a silence holds the alarms whose event time falls in its window. */
    static Instant T0;

    @TempDir
    static Path state;
    static RulesInstance rules;
    static String silenceId;

    @BeforeAll
    static void startAndFeed() throws Exception {
        String prefix = RulesInstance.newPrefix("view");
        rules = RulesInstance.start(RulesInstance.properties(prefix, "view-" + prefix, state, -1));
        try (RulesInstance.RawProducer raw = new RulesInstance.RawProducer(prefix)) {
            silenceEverythingOf("cc-2", raw);
            T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
            raw.alarm("cc-1", "101", alarm("cc-1", "101", "RAISED", "HostCpuUsage", "\"severity\": \"CRITICAL\",", "prod-galera", "db1",
                    "CPU usage on db1 is 95 %", "CPU on db1 is high", at(1)));
            raw.alarm("cc-1", "102", alarm("cc-1", "102", "RAISED", "MySqlDisconnected", "", "prod-galera", "db2",
                    "Server disconnected", "MySQL on db2 went away", at(2)));
            raw.alarm("cc-2", "201", alarm("cc-2", "201", "RAISED", "HostDiskUsage", "\"severity\": \"WARNING\",", "batch", "app1",
                    "Disk /var on app1 is 85 % full", "Mount point /var is filling up", at(3)));
            raw.alarm("am-1", "fp-9", alarm("am-1", "fp-9", "RAISED", "BackupFailed", "", "", "db1",
                    "Nightly backup failed", "mysqldump exited 2", at(4)));
            raw.alarm("pcmk", PCMK_ID, alarm("pcmk", PCMK_ID, "RAISED", "ClusterFailure", "", "prod-galera", "node1",
                    "Resource res-ip failed", "monitor of res-ip failed on node1", at(5)));
            raw.alarm("cc-1", "103", alarm("cc-1", "103", "RAISED", "HostRamUsage", "", "prod-galera", "db3",
                    "RAM usage on db3", "", at(6)));
            // A duplicate raise changes nothing; a clear ends its alarm.
            raw.alarm("cc-1", "101", alarm("cc-1", "101", "RAISED", "HostCpuUsage", "\"severity\": \"CRITICAL\",", "prod-galera", "db1",
                    "CPU usage on db1 is 95 %", "CPU on db1 is high", at(7)));
            raw.alarm("cc-1", "103", alarm("cc-1", "103", "CLEARED", "HostRamUsage", "", "prod-galera", "db3", "", "", at(8)));
        }
        // The alarms sit on different partitions: wait for the last record of each (cc-1:103's clear, cc-1:101's
        // repeat), not only for the set of open alarms, which matches before cc-1:103's raise is read too.
        String events = new io.tocsin.schema.topics.TopicCatalogue(prefix).alarmEvents().name();
        Eventually.within(Duration.ofSeconds(60), () -> assertThat(io.tocsin.testing.TopicReader.readAll(
                        KafkaBrokerExtension.broker().bootstrapServers(), events, Duration.ofSeconds(1)).stream()
                .map(r -> io.tocsin.schema.wire.Codecs.ALARM_EVENT.decode(r.value()))
                .map(e -> e.getAlarmKey() + ":" + e.getStatus()).toList()).contains("cc-1:103:ENDED"));
        Eventually.within(Duration.ofSeconds(60), () -> {
            JsonNode all = rules.json("/api/v1/alarms");
            assertThat(keys(all)).containsExactlyInAnyOrder("cc-1:101", "cc-1:102", "cc-2:201", "am-1:fp-9", "pcmk:" + PCMK_ID);
            assertThat(rules.json("/api/v1/alarms/cc-1:101").get("repeatCount").asLong()).isEqualTo(2);
        });
    }

    /**
     * Silences source {@code source} through the silences API and waits until the topology applies it: the API
     * answers once the silence is on Kafka, the topology's global store reads it a moment later, so probe alarms
     * (opened, then cleared) are raised until one comes out silenced.
     */
    static void silenceEverythingOf(String source, RulesInstance.RawProducer raw) throws Exception {
        HttpResponse<String> created = rules.post("/api/v1/silences",
                "{\"source\": \"" + source + "\", \"duration\": \"PT1H\", \"author\": \"view-test\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        silenceId = RulesInstance.JSON.readTree(created.body()).get("id").asText();
        int[] probes = {0};
        Eventually.within(Duration.ofSeconds(30), () -> {
            String id = "probe-" + probes[0]++;
            raw.alarm(source, id, alarm(source, id, "RAISED", "HostCpuUsage", "", "", "probe", "Probe", "", Instant.now()));
            JsonNode[] probe = new JsonNode[1];
            Eventually.within(Duration.ofSeconds(10), () -> probe[0] = rules.json("/api/v1/alarms/" + source + ":" + id));
            raw.alarm(source, id, alarm(source, id, "CLEARED", "HostCpuUsage", "", "", "probe", "", "", Instant.now()));
            assertThat(probe[0].get("silenced").asBoolean()).isTrue();
        });
    }

    @AfterAll
    static void stop() {
        if (rules != null) {
            rules.close();
        }
    }

    static String alarm(String source, String id, String state, String type, String severity, String cluster, String host,
                        String title, String message, Instant time) {
        return """
                {"source": "%s", "alarmId": "%s", "state": "%s", "type": "%s", %s "cluster": "%s", "hostname": "%s",
                 "title": "%s", "message": "%s", "recommendation": "Look at it", "timestamp": "%s", "labels": {"dc": "eu1"}}
                """.formatted(source, id, state, type, severity, cluster, host, title, message, time);
    }

    /** T0 plus {@code seconds}, the event times of the test's alarms in the order they are raised. */
    static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    static List<String> keys(JsonNode page) {
        List<String> keys = new ArrayList<>();
        page.get("items").forEach(item -> keys.add(item.get("key").asText()));
        return keys;
    }

    static List<String> keysOf(String query) {
        JsonNode page = rules.json("/api/v1/alarms" + query);
        assertThat(page.get("total").asLong()).as("total of %s", query).isEqualTo(page.get("items").size());
        return keys(page);
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static JsonNode problem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        return RulesInstance.JSON.readTree(response.body());
    }

    static List<String> fieldsOf(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(error -> fields.add(error.get("field").asText()));
        return fields;
    }

    @Test
    void anAlarmShowsEverythingTheLifecycleKeptWithIsoTimes() {
        JsonNode alarm = rules.json("/api/v1/alarms/cc-1:102");
        assertThat(alarm.get("key").asText()).isEqualTo("cc-1:102");
        assertThat(alarm.get("source").asText()).isEqualTo("cc-1");
        assertThat(alarm.get("alarmId").asText()).isEqualTo("102");
        assertThat(alarm.get("severity").asText()).as("from the shipped rules").isEqualTo("CRITICAL");
        assertThat(alarm.get("component").asText()).isEqualTo("Node");
        assertThat(alarm.get("categories").toString()).isEqualTo("[\"Node\"]");
        assertThat(alarm.get("cluster").asText()).isEqualTo("prod-galera");
        assertThat(alarm.get("hostname").asText()).isEqualTo("db2");
        assertThat(alarm.get("title").asText()).isEqualTo("Server disconnected");
        assertThat(alarm.get("message").asText()).isEqualTo("MySQL on db2 went away");
        assertThat(alarm.get("recommendation").asText()).isEqualTo("Look at it");
        assertThat(alarm.get("labels").get("dc").asText()).isEqualTo("eu1");
        assertThat(alarm.get("openedAt").asText()).isEqualTo(at(2).toString());
        assertThat(alarm.get("updatedAt").asText()).isEqualTo(at(2).toString());
        assertThat(alarm.get("silenced").asBoolean()).isFalse();
        assertThat(alarm.get("silencedBy").isNull()).isTrue();
        assertThat(alarm.get("sequence").asLong()).isEqualTo(1);
        assertThat(alarm.get("repeatCount").asLong()).isEqualTo(1);
        assertThat(alarm.get("lastSeen").asText()).isEqualTo(at(2).toString());

        JsonNode repeated = rules.json("/api/v1/alarms/cc-1:101");
        assertThat(repeated.get("repeatCount").asLong()).as("raised twice").isEqualTo(2);
        assertThat(repeated.get("openedAt").asText()).isEqualTo(at(1).toString());
        assertThat(repeated.get("lastSeen").asText()).isEqualTo(at(7).toString());

        JsonNode silenced = rules.json("/api/v1/alarms/cc-2:201");
        assertThat(silenced.get("silenced").asBoolean()).isTrue();
        assertThat(silenced.get("silencedBy").asText()).isEqualTo(silenceId);
    }

    @Test
    void everyFilterSelectsItsAlarms() {
        assertThat(keysOf("?severity=CRITICAL")).containsExactlyInAnyOrder("cc-1:101", "cc-1:102", "pcmk:" + PCMK_ID);
        assertThat(keysOf("?severity=warning")).containsExactlyInAnyOrder("cc-2:201", "am-1:fp-9");
        assertThat(keysOf("?severity=WARNING,CRITICAL")).hasSize(5);
        assertThat(keysOf("?severity=WARNING&severity=CRITICAL")).as("repeated").hasSize(5);
        assertThat(keysOf("?category=host")).containsExactlyInAnyOrder("cc-1:101", "cc-2:201");
        assertThat(keysOf("?category=" + encode("Database Health"))).isEmpty();
        assertThat(keysOf("?category=Backup,Cluster")).containsExactlyInAnyOrder("am-1:fp-9", "pcmk:" + PCMK_ID);
        assertThat(keysOf("?type=Host*")).containsExactlyInAnyOrder("cc-1:101", "cc-2:201");
        assertThat(keysOf("?type=MySqlDisconnected")).containsExactly("cc-1:102");
        assertThat(keysOf("?hostname=db1")).containsExactlyInAnyOrder("cc-1:101", "am-1:fp-9");
        assertThat(keysOf("?hostname=db?")).containsExactlyInAnyOrder("cc-1:101", "cc-1:102", "am-1:fp-9");
        assertThat(keysOf("?cluster=prod-galera")).containsExactlyInAnyOrder("cc-1:101", "cc-1:102", "pcmk:" + PCMK_ID);
        assertThat(keysOf("?cluster=batch,prod-*")).containsExactlyInAnyOrder("cc-1:101", "cc-1:102", "cc-2:201", "pcmk:" + PCMK_ID);
        assertThat(keysOf("?source=cc-*")).containsExactlyInAnyOrder("cc-1:101", "cc-1:102", "cc-2:201");
        assertThat(keysOf("?source=pcmk")).containsExactly("pcmk:" + PCMK_ID);
        assertThat(keysOf("?component=Backup")).containsExactly("am-1:fp-9");
        assertThat(keysOf("?silenced=false")).containsExactlyInAnyOrder("cc-1:101", "cc-1:102", "am-1:fp-9", "pcmk:" + PCMK_ID);
        assertThat(keysOf("?silenced=TRUE")).as("the silence of source cc-2").containsExactly("cc-2:201");
        assertThat(keysOf("?q=DISK")).as("title").containsExactly("cc-2:201");
        assertThat(keysOf("?q=mysqldump")).as("message").containsExactly("am-1:fp-9");
        assertThat(keysOf("?q=app1")).as("hostname").containsExactly("cc-2:201");
        assertThat(keysOf("?q=clusterfail")).as("type").containsExactly("pcmk:" + PCMK_ID);
        assertThat(keysOf("?severity=CRITICAL&cluster=prod-galera&q=db")).as("all must match").containsExactlyInAnyOrder("cc-1:101", "cc-1:102");
    }

    @Test
    void sortsByTheFieldsAskedForWithKeyAsTieBreak() {
        String e = "pcmk:" + PCMK_ID;
        assertThat(keysOf("")).as("newest first by default").containsExactly(e, "am-1:fp-9", "cc-2:201", "cc-1:102", "cc-1:101");
        assertThat(keysOf("?sort=openedAt")).containsExactly("cc-1:101", "cc-1:102", "cc-2:201", "am-1:fp-9", e);
        assertThat(keysOf("?sort=-severity,hostname")).containsExactly("cc-1:101", "cc-1:102", e, "cc-2:201", "am-1:fp-9");
        assertThat(keysOf("?sort=cluster")).containsExactly("am-1:fp-9", "cc-2:201", "cc-1:101", "cc-1:102", e);
        assertThat(keysOf("?sort=type,-updatedAt")).containsExactly("am-1:fp-9", e, "cc-1:101", "cc-2:201", "cc-1:102");
        assertThat(keysOf("?sort=source")).containsExactly("am-1:fp-9", "cc-1:101", "cc-1:102", "cc-2:201", e);
    }

    @Test
    void pagesCarryTheTotalOfAllMatches() {
        JsonNode first = rules.json("/api/v1/alarms?size=2");
        assertThat(first.get("total").asLong()).isEqualTo(5);
        assertThat(first.get("page").asInt()).isZero();
        assertThat(first.get("size").asInt()).isEqualTo(2);
        assertThat(keys(first)).containsExactly("pcmk:" + PCMK_ID, "am-1:fp-9");
        JsonNode last = rules.json("/api/v1/alarms?size=2&page=2");
        assertThat(last.get("total").asLong()).isEqualTo(5);
        assertThat(keys(last)).containsExactly("cc-1:101");
        JsonNode past = rules.json("/api/v1/alarms?size=2&page=3");
        assertThat(past.get("total").asLong()).isEqualTo(5);
        assertThat(keys(past)).isEmpty();
        assertThat(rules.json("/api/v1/alarms").get("size").asInt()).as("default size").isEqualTo(50);
        assertThat(rules.json("/api/v1/alarms?severity=CRITICAL&size=1&page=1").get("total").asLong()).isEqualTo(3);
    }

    @Test
    void aKeyIsFoundUrlEncodedAndAnAlarmNotOpenIs404() throws Exception {
        JsonNode pacemaker = rules.json("/api/v1/alarms/" + encode("pcmk:" + PCMK_ID));
        assertThat(pacemaker.get("alarmId").asText()).isEqualTo(PCMK_ID);
        assertThat(pacemaker.get("type").asText()).isEqualTo("ClusterFailure");

        JsonNode ended = problem(rules.get("/api/v1/alarms/cc-1:103"), 404);
        assertThat(ended.get("detail").asText()).contains("cc-1:103");
        problem(rules.get("/api/v1/alarms/" + encode("nobody:never")), 404);
    }

    @Test
    void badParametersAre400NamingEachOne() throws Exception {
        assertThat(fieldsOf(problem(rules.get("/api/v1/alarms?severity=FATAL"), 400))).containsExactly("severity");
        assertThat(fieldsOf(problem(rules.get("/api/v1/alarms?category=Nope"), 400))).containsExactly("category");
        assertThat(fieldsOf(problem(rules.get("/api/v1/alarms?silenced=maybe"), 400))).containsExactly("silenced");
        assertThat(fieldsOf(problem(rules.get("/api/v1/alarms?sort=-colour"), 400))).containsExactly("sort");
        assertThat(fieldsOf(problem(rules.get("/api/v1/alarms?size=501"), 400))).containsExactly("size");
        assertThat(fieldsOf(problem(rules.get("/api/v1/alarms?size=0"), 400))).containsExactly("size");
        assertThat(fieldsOf(problem(rules.get("/api/v1/alarms?page=-1&size=x"), 400))).containsExactlyInAnyOrder("page", "size");
        assertThat(fieldsOf(problem(rules.get("/api/v1/alarms?q=" + "x".repeat(300)), 400))).containsExactly("q");
        assertThat(fieldsOf(problem(rules.get("/api/v1/alarms/status?severity=loud"), 400))).containsExactly("severity");
        JsonNode problem = problem(rules.get("/api/v1/alarms?sort=colour"), 400);
        assertThat(problem.get("errors").get(0).get("message").asText()).contains("openedAt").contains("severity");
        assertThat(rules.anonymousGet("/api/v1/alarms").statusCode()).as("the admin token is needed").isEqualTo(401);
    }

    @Test
    void statusCountsBySeverityTypeAndCategoryOverallPerSourceAndPerCluster() {
        JsonNode status = rules.json("/api/v1/alarms/status");
        JsonNode overall = status.get("overall");
        assertThat(overall.get("total").asLong()).isEqualTo(5);
        assertThat(overall.get("severity").toString()).isEqualTo("{\"CRITICAL\":3,\"WARNING\":2}");
        assertThat(overall.get("type").toString())
                .isEqualTo("{\"BackupFailed\":1,\"ClusterFailure\":1,\"HostCpuUsage\":1,\"HostDiskUsage\":1,\"MySqlDisconnected\":1}");
        assertThat(overall.get("category").toString()).isEqualTo("{\"Backup\":1,\"Cluster\":1,\"Host\":2,\"Node\":1}");

        JsonNode bySource = status.get("bySource");
        assertThat(bySource.get("cc-1").get("total").asLong()).isEqualTo(2);
        assertThat(bySource.get("cc-1").get("severity").toString()).isEqualTo("{\"CRITICAL\":2,\"WARNING\":0}");
        assertThat(bySource.get("cc-2").get("type").toString()).isEqualTo("{\"HostDiskUsage\":1}");
        assertThat(bySource.get("am-1").get("category").toString()).isEqualTo("{\"Backup\":1}");
        assertThat(bySource.get("pcmk").get("total").asLong()).isEqualTo(1);
        assertThat(bySource.size()).isEqualTo(4);

        JsonNode byCluster = status.get("byCluster");
        assertThat(byCluster.get("prod-galera").get("total").asLong()).isEqualTo(3);
        assertThat(byCluster.get("prod-galera").get("category").toString()).isEqualTo("{\"Cluster\":1,\"Host\":1,\"Node\":1}");
        assertThat(byCluster.get("batch").get("severity").toString()).isEqualTo("{\"CRITICAL\":0,\"WARNING\":1}");
        assertThat(byCluster.get("(none)").get("type").toString()).isEqualTo("{\"BackupFailed\":1}");
        assertThat(byCluster.size()).isEqualTo(3);

        JsonNode critical = rules.json("/api/v1/alarms/status?severity=CRITICAL&source=cc-*");
        assertThat(critical.get("overall").get("total").asLong()).as("status takes the list's filters").isEqualTo(2);
        assertThat(critical.get("bySource").size()).isEqualTo(1);
    }
}
