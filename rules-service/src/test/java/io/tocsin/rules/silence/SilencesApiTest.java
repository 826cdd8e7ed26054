package io.tocsin.rules.silence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.rules.testing.RulesHarness;
import io.tocsin.schema.Silence;
import io.tocsin.schema.wire.Codecs;
import io.tocsin.testing.Eventually;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.TopicReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The silences API on a real rules service (topology off: the API needs only the topic), broker and HTTP. */
@ExtendWith(KafkaBrokerExtension.class)
class SilencesApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PATH = "/api/v1/silences";

    final List<RulesHarness> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(RulesHarness::close);
    }

    RulesHarness start(Map<String, Object> extra) {
        RulesHarness harness = new RulesHarness().start(extra);
        started.add(harness);
        return harness;
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    static List<String> ids(HttpResponse<String> list) {
        List<String> ids = new ArrayList<>();
        json(list).forEach(node -> ids.add(node.get("id").asText()));
        return ids;
    }

    /** The latest record of every silence on the topic, decoded. */
    static Map<String, Silence> onTopic(RulesHarness rules) {
        Map<String, Silence> latest = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : TopicReader.readAll(rules.bootstrap, rules.prefix + "silences", Duration.ofSeconds(5))) {
            latest.put(new String(record.key(), StandardCharsets.UTF_8), Codecs.SILENCE.decode(record.value()));
        }
        return latest;
    }

    @Test
    void createListGetAndEndSilences() {
        RulesHarness rules = start(Map.of());
        assertThat(gauge(rules)).as("the gauge exists before the API is first used").isEqualTo(0.0);
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        HttpResponse<String> created = rules.call("POST", PATH, """
                {"cluster": "prod-galera", "host": "db*", "duration": "PT2H", "author": " alice ",
                 "comment": "Kernel upgrade"}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode active = json(created);
        String activeId = active.get("id").asText();
        assertThat(created.headers().firstValue("Location")).hasValue(PATH + "/" + activeId);
        assertThat(active.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(active.get("cluster").asText()).isEqualTo("prod-galera");
        assertThat(active.get("host").asText()).isEqualTo("db*");
        assertThat(active.get("type").isNull()).as("a matcher left out is null").isTrue();
        assertThat(active.get("author").asText()).isEqualTo("alice");
        assertThat(active.get("comment").asText()).isEqualTo("Kernel upgrade");
        assertThat(active.get("endedEarly").asBoolean()).isFalse();
        Instant startsAt = Instant.parse(active.get("startsAt").asText());
        assertThat(startsAt).as("startsAt defaults to now").isBetween(before, Instant.now());
        assertThat(Instant.parse(active.get("endsAt").asText())).isEqualTo(startsAt.plus(Duration.ofHours(2)));
        assertThat(Instant.parse(active.get("createdAt").asText())).isEqualTo(startsAt);

        // Acknowledged means on the topic: the record decodes to exactly what the API answered.
        Silence stored = onTopic(rules).get(activeId);
        assertThat(stored).isNotNull();
        assertThat(stored.getCluster()).isEqualTo("prod-galera");
        assertThat(stored.getHost()).isEqualTo("db*");
        assertThat(stored.getType()).isNull();
        assertThat(stored.getStartsAt()).isEqualTo(startsAt);
        assertThat(stored.getEndsAt()).isEqualTo(startsAt.plus(Duration.ofHours(2)));
        assertThat(stored.getAuthor()).isEqualTo("alice");
        assertThat(stored.getEndedEarly()).isFalse();

        Instant later = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        HttpResponse<String> pendingAnswer = rules.call("POST", PATH, """
                {"type": "MySql*", "category": "Database Health", "source": "cc-1", "startsAt": "%s", "endsAt": "%s", "author": "bob"}"""
                .formatted(later, later.plus(Duration.ofHours(3))));
        assertThat(pendingAnswer.statusCode()).as(pendingAnswer.body()).isEqualTo(201);
        JsonNode pending = json(pendingAnswer);
        String pendingId = pending.get("id").asText();
        assertThat(pending.get("status").asText()).isEqualTo("PENDING");
        assertThat(Instant.parse(pending.get("startsAt").asText())).isEqualTo(later);
        assertThat(pending.get("comment").asText()).isEmpty();

        // Newest first; the default lists what still has an effect.
        assertThat(ids(rules.call("GET", PATH, null))).containsExactly(pendingId, activeId);
        JsonNode one = json(rules.call("GET", PATH + "/" + activeId, null));
        assertThat(one.get("id").asText()).isEqualTo(activeId);
        assertThat(one.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(gauge(rules)).as("the active-silences gauge").isEqualTo(1.0);

        // Ending early: rewritten with endsAt = now and endedEarly, on the topic before the answer.
        HttpResponse<String> endedAnswer = rules.call("DELETE", PATH + "/" + activeId, null);
        assertThat(endedAnswer.statusCode()).as(endedAnswer.body()).isEqualTo(200);
        JsonNode ended = json(endedAnswer);
        assertThat(ended.get("status").asText()).isEqualTo("EXPIRED");
        assertThat(ended.get("endedEarly").asBoolean()).isTrue();
        Instant endedAt = Instant.parse(ended.get("endsAt").asText());
        assertThat(endedAt).isBetween(startsAt, Instant.now());
        Silence rewritten = onTopic(rules).get(activeId);
        assertThat(rewritten.getEndedEarly()).isTrue();
        assertThat(rewritten.getEndsAt()).isEqualTo(endedAt);
        assertThat(rewritten.getStartsAt()).as("the start is kept").isEqualTo(startsAt);
        assertThat(gauge(rules)).isEqualTo(0.0);

        assertThat(ids(rules.call("GET", PATH, null))).containsExactly(pendingId);
        assertThat(ids(rules.call("GET", PATH + "?status=expired", null))).containsExactly(activeId);
        assertThat(ids(rules.call("GET", PATH + "?status=all", null))).containsExactly(pendingId, activeId);
        assertThat(ids(rules.call("GET", PATH + "?status=active", null))).isEmpty();
        assertThat(ids(rules.call("GET", PATH + "?status=pending,%20EXPIRED", null))).containsExactly(pendingId, activeId);

        HttpResponse<String> again = rules.call("DELETE", PATH + "/" + activeId, null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(again).get("detail").asText()).contains(activeId).contains("over already");

        // A pending silence ended before it starts gets an empty window: it never takes effect.
        JsonNode cancelled = json(rules.call("DELETE", PATH + "/" + pendingId, null));
        assertThat(cancelled.get("status").asText()).isEqualTo("EXPIRED");
        assertThat(cancelled.get("startsAt").asText()).isEqualTo(cancelled.get("endsAt").asText());
        assertThat(Instant.parse(cancelled.get("endsAt").asText())).isBefore(later);
        assertThat(ids(rules.call("GET", PATH, null))).isEmpty();

        for (String method : List.of("GET", "DELETE")) {
            HttpResponse<String> unknown = rules.call(method, PATH + "/no-such-silence", null);
            assertThat(unknown.statusCode()).as(method).isEqualTo(404);
            assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json(unknown).get("detail").asText()).contains("no-such-silence");
        }
        HttpResponse<String> badFilter = rules.call("GET", PATH + "?status=open", null);
        assertThat(badFilter.statusCode()).isEqualTo(400);
        assertThat(json(badFilter).get("errors").get(0).get("field").asText()).isEqualTo("status");
        assertThat(rules.call("GET", PATH, null, null).statusCode()).as("no token").isEqualTo(401);
    }

    static double gauge(RulesHarness rules) {
        String metrics = rules.call("GET", "/prometheus", null, null).body();
        return metrics.lines().filter(line -> line.startsWith("tocsin_rules_silences_active "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no tocsin_rules_silences_active in\n" + metrics));
    }

    @Test
    void everyInvalidFieldIsNamedAndNothingIsStored() {
        RulesHarness rules = start(Map.of());
        Instant now = Instant.now();
        String ok = "\"author\": \"alice\"";
        Map<String, List<String>> cases = new LinkedHashMap<>();
        cases.put("not json", List.of("body"));
        cases.put("[]", List.of("body"));
        cases.put("{}", List.of("body", "endsAt", "author"));
        cases.put("{\"hostname\": \"db1\", \"duration\": \"PT1H\", " + ok + "}", List.of("hostname", "body"));
        cases.put("{\"cluster\": \"\", \"duration\": \"PT1H\", " + ok + "}", List.of("cluster"));
        cases.put("{\"cluster\": 5, \"duration\": \"PT1H\", " + ok + "}", List.of("cluster"));
        cases.put("{\"host\": \"" + "h".repeat(201) + "\", \"duration\": \"PT1H\", " + ok + "}", List.of("host"));
        cases.put("{\"type\": [\"T\"], \"category\": \"" + "c".repeat(201) + "\", \"duration\": \"PT1H\", " + ok + "}",
                List.of("type", "category"));
        cases.put("{\"source\": \"" + "s".repeat(201) + "\", \"duration\": \"PT1H\", " + ok + "}", List.of("source"));
        cases.put("{\"host\": \"db1\", \"duration\": \"PT1H\"}", List.of("author"));
        cases.put("{\"host\": \"db1\", \"duration\": \"PT1H\", \"author\": \"  \"}", List.of("author"));
        cases.put("{\"host\": \"db1\", \"duration\": \"PT1H\", \"author\": \"" + "a".repeat(201) + "\"}", List.of("author"));
        cases.put("{\"host\": \"db1\", \"duration\": \"PT1H\", \"comment\": \"" + "c".repeat(2001) + "\", " + ok + "}",
                List.of("comment"));
        cases.put("{\"host\": \"db1\", \"duration\": \"PT1H\", \"endsAt\": \"%s\", %s}".formatted(now.plusSeconds(60), ok),
                List.of("duration"));
        cases.put("{\"host\": \"db1\", \"endsAt\": \"tomorrow\", " + ok + "}", List.of("endsAt"));
        cases.put("{\"host\": \"db1\", \"startsAt\": \"soon\", \"duration\": \"PT1H\", " + ok + "}", List.of("startsAt"));
        cases.put("{\"host\": \"db1\", \"duration\": \"2h\", " + ok + "}", List.of("duration"));
        cases.put("{\"host\": \"db1\", \"duration\": \"-PT1H\", " + ok + "}", List.of("duration"));
        cases.put("{\"host\": \"db1\", \"duration\": \"PT0S\", " + ok + "}", List.of("duration"));
        cases.put("{\"host\": \"db1\", \"startsAt\": \"%s\", \"endsAt\": \"%s\", %s}"
                .formatted(now.plusSeconds(7200), now.plusSeconds(3600), ok), List.of("endsAt"));
        cases.put("{\"host\": \"db1\", \"endsAt\": \"%s\", %s}".formatted(now.minusSeconds(60), ok), List.of("endsAt"));
        cases.put("{\"host\": \"db1\", \"startsAt\": \"%s\", \"duration\": \"PT1H\", %s}".formatted(now.minusSeconds(7200), ok),
                List.of("duration"));
        cases.put("{\"host\": \"db1\", \"endsAt\": \"%s\", %s}".formatted(now.plus(Duration.ofDays(31)), ok), List.of("endsAt"));
        cases.put("{\"host\": \"db1\", \"duration\": \"P31D\", " + ok + "}", List.of("duration"));
        cases.put("{\"host\": \"db1\", \"duration\": \"PT9999999999999H\", " + ok + "}", List.of("duration"));

        cases.forEach((body, fields) -> {
            HttpResponse<String> answer = rules.call("POST", PATH, body);
            assertThat(answer.statusCode()).as(body).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type")).as(body).hasValue("application/problem+json");
            List<String> named = new ArrayList<>();
            json(answer).get("errors").forEach(error -> named.add(error.get("field").asText()));
            assertThat(named).as(answer.body()).containsExactlyInAnyOrderElementsOf(fields);
            assertThat(json(answer).get("detail").asText()).as(body).isNotBlank();
        });
        JsonNode tooLong = json(rules.call("POST", PATH, "{\"host\": \"db1\", \"duration\": \"P31D\", " + ok + "}"));
        assertThat(tooLong.get("errors").get(0).get("message").asText()).contains("PT720H").contains("max-duration");
        JsonNode past = json(rules.call("POST", PATH, "{\"host\": \"db1\", \"endsAt\": \"%s\", %s}".formatted(now.minusSeconds(60), ok)));
        assertThat(past.get("errors").get(0).get("message").asText()).contains("in the past");

        assertThat(ids(rules.call("GET", PATH + "?status=all", null))).as("nothing half-stored").isEmpty();
        assertThat(onTopic(rules)).isEmpty();
    }

    @Test
    void theLimitsComeFromConfiguration() {
        RulesHarness rules = start(Map.of("tocsin.rules.silences.max-duration", "1h", "tocsin.rules.silences.max-open", 1));
        HttpResponse<String> tooLong = rules.call("POST", PATH, "{\"host\": \"db1\", \"duration\": \"PT61M\", \"author\": \"a\"}");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(json(tooLong).get("errors").get(0).get("field").asText()).isEqualTo("duration");
        assertThat(json(tooLong).get("errors").get(0).get("message").asText()).contains("PT1H");

        HttpResponse<String> first = rules.call("POST", PATH, "{\"host\": \"db1\", \"duration\": \"PT1H\", \"author\": \"a\"}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        HttpResponse<String> second = rules.call("POST", PATH, "{\"host\": \"db2\", \"duration\": \"PT1H\", \"author\": \"a\"}");
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(json(second).get("detail").asText()).contains("max-open");

        // An ended silence no longer counts.
        rules.call("DELETE", PATH + "/" + json(first).get("id").asText(), null);
        assertThat(rules.call("POST", PATH, "{\"host\": \"db2\", \"duration\": \"PT1H\", \"author\": \"a\"}").statusCode()).isEqualTo(201);
    }

    @Test
    void anotherInstanceSeesTheSilencesTheFirstWroteAndFollowsNewOnes() {
        RulesHarness first = start(Map.of());
        String kept = json(first.call("POST", PATH, "{\"cluster\": \"prod-*\", \"duration\": \"PT1H\", \"author\": \"a\"}")).get("id").asText();
        String ended = json(first.call("POST", PATH, "{\"source\": \"cc-1\", \"duration\": \"PT1H\", \"author\": \"a\"}")).get("id").asText();
        assertThat(first.call("DELETE", PATH + "/" + ended, null).statusCode()).isEqualTo(200);

        // A new instance (a new reader of the topic) answers with every silence from its first request on.
        RulesHarness second = first.sibling(Map.of());
        started.add(second);
        assertThat(ids(second.call("GET", PATH, null))).containsExactly(kept);
        JsonNode endedThere = json(second.call("GET", PATH + "/" + ended, null));
        assertThat(endedThere.get("status").asText()).isEqualTo("EXPIRED");
        assertThat(endedThere.get("endedEarly").asBoolean()).isTrue();
        assertThat(endedThere.get("source").asText()).isEqualTo("cc-1");

        // And both keep following the topic.
        String fromSecond = json(second.call("POST", PATH, "{\"type\": \"Host*\", \"duration\": \"PT1H\", \"author\": \"b\"}")).get("id").asText();
        Eventually.within(Duration.ofSeconds(10), () -> assertThat(ids(first.call("GET", PATH, null))).containsExactly(fromSecond, kept));
        assertThat(second.call("DELETE", PATH + "/" + kept, null).statusCode()).isEqualTo(200);
        Eventually.within(Duration.ofSeconds(10), () -> assertThat(ids(first.call("GET", PATH, null))).containsExactly(fromSecond));
    }
}
