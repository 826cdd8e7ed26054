package io.tocsin.rules.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tocsin.rules.topology.AlarmLifecycleTopology;
import io.tocsin.testing.Eventually;
import io.tocsin.testing.KafkaBrokerExtension;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two rules-service instances of one application on one broker, the stores' six partitions split between them:
 * every query answers for the whole data set on either instance (key lookups reach the owner, lists gather from
 * both), and an instance that holds part of the answer but does not reply makes it a 503, never a partial list.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TwoInstancesTest {

    static final int PARTITIONS = 6;
    static final int ALARMS = 60;
    static final String STORE = AlarmLifecycleTopology.LIFECYCLE_STORE;

    @TempDir
    Path stateA;
    @TempDir
    Path stateB;
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : open.reversed()) {
            closeable.close();
        }
    }

    RulesInstance start(String prefix, String applicationId, Path state, int port, String advertised) {
        Map<String, Object> props = RulesInstance.properties(prefix, applicationId, state, port);
        props.put("tocsin.kafka.partitions", PARTITIONS);
        if (advertised != null) {
            props.put("tocsin.rules.advertised-address", advertised);
        }
        RulesInstance instance = RulesInstance.start(props);
        open.add(instance);
        return instance;
    }

    /** Waits until both instances run and each is active for some partitions of the store. */
    static void awaitSplit(RulesInstance a, RulesInstance b) {
        Eventually.within(Duration.ofSeconds(60), () -> {
            for (RulesInstance instance : List.of(a, b)) {
                assertThat(instance.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
                List<StreamsMetadata> holders = List.copyOf(instance.streams().streamsMetadataForStore(STORE));
                assertThat(holders).hasSize(2).allSatisfy(holder -> assertThat(holder.topicPartitions()).isNotEmpty());
            }
        });
    }

    static String alarmJson(int i) {
        return """
                {"source": "src-%d", "alarmId": "a%d", "state": "RAISED", "type": "%s", "severity": "%s", "cluster": "c%d",
                 "hostname": "h%d", "title": "Alarm %d", "timestamp": "2026-11-20T10:00:%02dZ"}
                """.formatted(i % 3, i, i % 2 == 0 ? "HostCpuUsage" : "BackupFailed", i % 2 == 0 ? "CRITICAL" : "WARNING", i % 4, i % 5, i, i);
    }

    static JsonNode item(JsonNode page, String field, String name) {
        for (JsonNode item : page.get("items")) {
            if (item.get(field).asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError(name + " not in " + page);
    }

    static Set<String> itemKeys(JsonNode page) {
        Set<String> keys = new HashSet<>();
        page.get("items").forEach(item -> keys.add(item.get("key").asText()));
        return keys;
    }

    /** Alarm keys among {@code keys} whose partition another instance than {@code instance} is active for. */
    static List<String> ownedElsewhere(RulesInstance instance, List<String> keys) {
        return keys.stream().filter(key -> instance.streams().queryMetadataForKey(STORE, key, Serdes.String().serializer())
                .activeHost().port() != instance.port()).toList();
    }

    @Test
    void eachInstanceAnswersForTheWholeDataSet() throws Exception {
        String prefix = RulesInstance.newPrefix("two");
        String applicationId = "two-" + prefix;
        int portA = RulesInstance.freePort();
        int portB = RulesInstance.freePort();
        RulesInstance a = start(prefix, applicationId, stateA, portA, null);
        RulesInstance b = start(prefix, applicationId, stateB, portB, null);
        awaitSplit(a, b);

        List<String> keys = new ArrayList<>();
        try (RulesInstance.RawProducer raw = new RulesInstance.RawProducer(prefix)) {
            for (int i = 0; i < ALARMS; i++) {
                raw.alarm("src-" + (i % 3), "a" + i, alarmJson(i));
                keys.add("src-" + (i % 3) + ":a" + i);
            }
        }

        Eventually.within(Duration.ofSeconds(60), () -> {
            for (RulesInstance instance : List.of(a, b)) {
                JsonNode all = instance.json("/api/v1/alarms?size=500");
                assertThat(all.get("total").asLong()).isEqualTo(ALARMS);
                assertThat(itemKeys(all)).containsExactlyInAnyOrderElementsOf(keys);
            }
        });

        // Paging over one instance gives the same order as the other's single page: one sort over the merged set.
        List<String> pagedOnB = new ArrayList<>();
        for (int page = 0; page * 7 < ALARMS; page++) {
            JsonNode part = b.json("/api/v1/alarms?size=7&sort=hostname,-openedAt&page=" + page);
            assertThat(part.get("total").asLong()).isEqualTo(ALARMS);
            part.get("items").forEach(item -> pagedOnB.add(item.get("key").asText()));
        }
        List<String> wholeOnA = new ArrayList<>();
        a.json("/api/v1/alarms?size=500&sort=hostname,-openedAt").get("items").forEach(item -> wholeOnA.add(item.get("key").asText()));
        assertThat(pagedOnB).isEqualTo(wholeOnA);

        for (RulesInstance instance : List.of(a, b)) {
            List<String> remote = ownedElsewhere(instance, keys);
            assertThat(remote).as("keys held by the other instance").isNotEmpty().hasSizeLessThan(ALARMS);
            for (String key : remote) {
                assertThat(instance.json("/api/v1/alarms/" + key).get("key").asText()).isEqualTo(key);
            }
            String missing = ownedElsewhere(instance, List.of("src-0:nope-1", "src-0:nope-2", "src-0:nope-3", "src-0:nope-4",
                    "src-0:nope-5", "src-0:nope-6", "src-0:nope-7", "src-0:nope-8")).getFirst();
            assertThat(instance.get("/api/v1/alarms/" + missing).statusCode()).as("not open, asked of its owner").isEqualTo(404);

            JsonNode status = instance.json("/api/v1/alarms/status");
            assertThat(status.get("overall").get("total").asLong()).isEqualTo(ALARMS);
            assertThat(status.get("overall").get("severity").toString()).isEqualTo("{\"CRITICAL\":30,\"WARNING\":30}");
            assertThat(status.get("overall").get("type").toString()).isEqualTo("{\"BackupFailed\":30,\"HostCpuUsage\":30}");
            status.get("bySource").forEach(source -> assertThat(source.get("total").asLong()).isEqualTo(20));
            assertThat(status.get("bySource").size()).isEqualTo(3);
            status.get("byCluster").forEach(cluster -> assertThat(cluster.get("total").asLong()).isEqualTo(15));
            assertThat(status.get("byCluster").size()).isEqualTo(4);
            assertThat(instance.json("/api/v1/alarms/status?hostname=h1").get("overall").get("total").asLong()).isEqualTo(12);
        }
        assertThat(a.json("/api/v1/alarms/status")).isEqualTo(b.json("/api/v1/alarms/status"));

        // Hosts (partitioned by host) and sources (by source, behind a repartition topic) are whole on both too.
        List<String> hosts = new ArrayList<>();
        try (RulesInstance.RawProducer raw = new RulesInstance.RawProducer(prefix)) {
            for (int i = 0; i < 12; i++) {
                hosts.add("h" + i);
                raw.metric("h" + i, """
                        {"host": "h%d", "cluster": "c%d", "metric": "host.cpu.usage", "value": 10, "timestamp": "%s"}
                        """.formatted(i, i % 2, Instant.now()));
            }
        }
        Eventually.within(Duration.ofSeconds(30), () -> {
            for (RulesInstance instance : List.of(a, b)) {
                JsonNode page = instance.json("/api/v1/hosts");
                assertThat(page.get("total").asLong()).isEqualTo(12);
                assertThat(item(page, "host", "h1").get("openAlarms").get("total").asLong()).as("alarms with hostname h1").isEqualTo(12);
                JsonNode sources = instance.json("/api/v1/sources");
                assertThat(sources.get("total").asLong()).isEqualTo(3);
                sources.get("items").forEach(source -> assertThat(source.get("raised").asLong()).isEqualTo(20));
            }
        });
        for (RulesInstance instance : List.of(a, b)) {
            List<String> elsewhere = hosts.stream().filter(host -> instance.streams()
                    .queryMetadataForKey(AlarmLifecycleTopology.HOST_STATUS_STORE, host, Serdes.String().serializer()).activeHost().port()
                    != instance.port()).toList();
            assertThat(elsewhere).as("hosts held by the other instance").isNotEmpty();
            for (String host : elsewhere) {
                assertThat(instance.json("/api/v1/hosts/" + host).get("host").asText()).isEqualTo(host);
            }
            for (String source : List.of("src-0", "src-1", "src-2")) {
                assertThat(instance.json("/api/v1/sources/" + source).get("openAlarms").get("total").asLong()).isEqualTo(20);
            }
        }

        for (RulesInstance instance : List.of(a, b)) {
            MeterRegistry meters = instance.bean(MeterRegistry.class);
            Timer ok = meters.find("tocsin.rules.view.peer.requests").tags("store", STORE, "outcome", "ok").timer();
            assertThat(ok).as("the answers went through the other instance").isNotNull();
            assertThat(ok.count()).isPositive();
        }
    }

    @Test
    void aPeerThatDoesNotAnswerMakesThe503WithRetryAfterNotAPartialList() throws Exception {
        String prefix = RulesInstance.newPrefix("mute");
        String applicationId = "mute-" + prefix;
        // B advertises an address that accepts connections and never answers: what a hung instance looks like.
        ServerSocket mute = new ServerSocket(0, 50);
        open.add(mute);
        RulesInstance a = start(prefix, applicationId, stateA, RulesInstance.freePort(), null);
        RulesInstance b = start(prefix, applicationId, stateB, -1, "localhost:" + mute.getLocalPort());
        awaitSplit(a, b);

        List<String> keys = new ArrayList<>();
        try (RulesInstance.RawProducer raw = new RulesInstance.RawProducer(prefix)) {
            for (int i = 0; i < 12; i++) {
                raw.alarm("src-" + (i % 3), "a" + i, alarmJson(i));
                keys.add("src-" + (i % 3) + ":a" + i);
            }
        }
        List<String> onA = keys.stream().filter(key -> ownedElsewhere(a, List.of(key)).isEmpty()).toList();
        List<String> onB = ownedElsewhere(a, keys);
        assertThat(onA).isNotEmpty();
        assertThat(onB).isNotEmpty();
        Eventually.within(Duration.ofSeconds(30), () -> assertThat(a.get("/api/v1/alarms/" + onA.getFirst()).statusCode()).isEqualTo(200));

        long started = System.nanoTime();
        HttpResponse<String> list = a.get("/api/v1/alarms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("bounded by the peer timeout").isLessThan(Duration.ofSeconds(5));
        assertUnavailable(list, "localhost:" + mute.getLocalPort(), "did not answer within 1000 ms");
        assertUnavailable(a.get("/api/v1/alarms/" + onB.getFirst()), "localhost:" + mute.getLocalPort(), "did not answer");
        assertUnavailable(a.get("/api/v1/alarms/status"), "localhost:" + mute.getLocalPort(), "did not answer");

        mute.close();
        assertUnavailable(a.get("/api/v1/alarms"), "localhost:" + mute.getLocalPort(), "cannot be reached");
        assertThat(a.json("/api/v1/alarms/" + onA.getFirst()).get("key").asText()).as("its own keys still answer").isEqualTo(onA.getFirst());
        Timer unavailable = a.bean(MeterRegistry.class).find("tocsin.rules.view.peer.requests").tags("outcome", "unavailable").timer();
        assertThat(unavailable).isNotNull();
        assertThat(unavailable.count()).isGreaterThanOrEqualTo(4);
    }

    static void assertUnavailable(HttpResponse<String> response, String... detail) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        String text = RulesInstance.JSON.readTree(response.body()).get("detail").asText();
        assertThat(text).isNotBlank();
        for (String part : detail) {
            assertThat(text).contains(part);
        }
    }
}
