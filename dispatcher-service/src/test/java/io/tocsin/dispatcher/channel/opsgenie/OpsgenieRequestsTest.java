package io.tocsin.dispatcher.channel.opsgenie;

import static io.tocsin.dispatcher.channel.opsgenie.OpsgenieFixtures.ACCEPTED;
import static io.tocsin.dispatcher.channel.opsgenie.OpsgenieFixtures.API_KEY;
import static io.tocsin.dispatcher.channel.opsgenie.OpsgenieFixtures.integration;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.dispatcher.channel.CorrelationKey;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.dispatcher.testing.ChannelTest;
import io.tocsin.dispatcher.testing.RecordingReceiver.Request;
import io.tocsin.dispatcher.testing.RecordingReceiver.Response;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.Severity;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the Opsgenie channel sends: the exact create and close requests, and the test notification. */
class OpsgenieRequestsTest extends ChannelTest<OpsgenieNotifier> {

    private static final ObjectMapper JSON = new ObjectMapper();


    OpsgenieRequestsTest() {
        super(OpsgenieNotifier::new, Response.json(202, ACCEPTED), Duration.ofSeconds(1));
    }

    @Test
    void createdCreatesAnAlertWithTheAlarmKeyAsAlias() throws Exception {
        DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED), integration(server.url("")));

        assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        Request request = server.requests().getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.rawPath()).isEqualTo("/v2/alerts");
        assertThat(request.query()).isNull();
        assertThat(request.headers()).containsEntry("authorization", "GenieKey " + API_KEY)
                .containsEntry("content-type", "application/json").containsEntry("user-agent", "Tocsin/0.1");
        assertThat(request.json()).isEqualTo(JSON.readTree("""
                {"message":"[CRITICAL] Server db1 reports: Disconnected","alias":"cmon:470",
                 "description":"[CRITICAL] Server db1 reports: Disconnected\\nHost: db1.example.org\\nCluster: prod-galera\\nServer db1:3306 is disconnected.\\nRecommendation: Restart failed node",
                 "tags":["tocsin","critical","Node"],
                 "details":{"alarmKey":"cmon:470","eventId":"cmon:470/1735787045000/1","source":"cmon","cluster":"prod-galera",
                   "host":"db1.example.org","component":"Node","type":"MySqlDisconnected","openedAt":"2025-01-02T03:04:05Z",
                   "categories":"Node"},
                 "entity":"db1.example.org","source":"Tocsin","priority":"P1"}"""));
    }

    @Test
    void endedClosesTheAlertByAlias() throws Exception {
        IntegrationConfig ops = integration(server.url(""));

        notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED), ops);
        DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.ENDED), ops);

        assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        Request close = server.requests().get(1);
        assertThat(close.method()).isEqualTo("POST");
        assertThat(close.rawPath()).isEqualTo("/v2/alerts/cmon%3A470/close");
        assertThat(close.query()).isEqualTo("identifierType=alias");
        assertThat(close.headers()).containsEntry("authorization", "GenieKey " + API_KEY).containsEntry("content-type", "application/json");
        assertThat(close.json()).isEqualTo(JSON.readTree("{\"source\":\"Tocsin\",\"note\":\"Alarm ended at 2025-01-02T03:04:08Z\"}"));
    }

    @Test
    void theAliasIsOneEncodedPathSegment() {
        notifier.notify(TestEvents.event("a b/c?d+é", AlarmEventStatus.ENDED), integration(server.url("")));

        Request close = server.requests().getFirst();
        assertThat(close.rawPath()).isEqualTo("/v2/alerts/cmon%3Aa%20b%2Fc%3Fd%2B%C3%A9/close");
        assertThat(close.query()).isEqualTo("identifierType=alias");
    }

    @Test
    void warningIsP3() {
        notifier.notify(TestEvents.event("9", AlarmEventStatus.CREATED, Severity.WARNING, "c1", List.of()), integration(server.url("")));

        JsonNode body = server.requests().getFirst().json();
        assertThat(body.path("priority").asText()).isEqualTo("P3");
        assertThat(body.path("tags")).extracting(JsonNode::asText).containsExactly("tocsin", "warning");
    }

    @Test
    void theTestNotificationIsAP5AlertTaggedTestThenClosed() {
        IntegrationConfig ops = integration(server.url(""));
        AlarmEvent created = TestEvents.testNotification(ops);

        assertThat(notifier.resolvesTestEvents()).isTrue();
        assertThat(notifier.notify(created, ops)).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        assertThat(notifier.notify(TestEvents.endedTestNotification(created), ops)).isEqualTo(DeliveryResult.Delivered.INSTANCE);

        List<Request> requests = server.requests();
        JsonNode create = requests.getFirst().json();
        assertThat(create.path("priority").asText()).isEqualTo("P5");
        assertThat(create.path("alias").asText()).isEqualTo(created.getAlarmKey());
        assertThat(create.path("message").asText()).isEqualTo("[WARNING] Tocsin test notification");
        assertThat(create.path("tags")).extracting(JsonNode::asText).containsExactly("tocsin", "warning", "test");
        assertThat(create.path("details").path("label.tocsin.test").asText()).isEqualTo("true");
        assertThat(requests.get(1).rawPath()).isEqualTo("/v2/alerts/tocsin%3Atest-" + created.getOpenedAt().toEpochMilli() + "/close");
    }

    @Test
    void updatesAreNotSent() {
        assertThat(notifier.notify(TestEvents.event("470", AlarmEventStatus.UPDATED), integration(server.url(""))))
                .isEqualTo(DeliveryResult.Delivered.INSTANCE);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aUrlWithAPathPrefixOrThePastedEndpointIsTheBase() {
        notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED), integration(server.url("/gateway/opsgenie/")));
        notifier.notify(TestEvents.event("1", AlarmEventStatus.ENDED), integration(server.url("/v2/alerts")));

        assertThat(server.requests()).extracting(Request::rawPath).containsExactly("/gateway/opsgenie/v2/alerts", "/v2/alerts/cmon%3A1/close");
    }

    @Test
    void theRegionChoosesTheHostUnlessAUrlIsSet() {
        assertThat(OpsgenieNotifier.apiBase(IntegrationConfig.declared("o", "opsgenie", java.util.Map.of()))).isEqualTo("https://api.opsgenie.com");
        assertThat(OpsgenieNotifier.apiBase(IntegrationConfig.declared("o", "opsgenie", java.util.Map.of("region", "EU")))).isEqualTo("https://api.eu.opsgenie.com");
        assertThat(OpsgenieNotifier.apiBase(IntegrationConfig.declared("o", "opsgenie", java.util.Map.of("region", "us")))).isEqualTo("https://api.opsgenie.com");
        assertThat(OpsgenieNotifier.apiBase(IntegrationConfig.declared("o", "opsgenie",
                java.util.Map.of("region", "eu", "url", "https://proxy.example.org/og/")))).isEqualTo("https://proxy.example.org/og");
        assertThat(OpsgenieNotifier.apiBase(IntegrationConfig.declared("o", "opsgenie", java.util.Map.of("region", "mars")))).isNull();
    }

    @Test
    void aKeyLongerThan512CharactersIsShortenedTheSameWayForCreateAndClose() {
        String alarmId = "y".repeat(600);
        IntegrationConfig ops = integration(server.url(""));

        notifier.notify(TestEvents.event(alarmId, AlarmEventStatus.CREATED), ops);
        notifier.notify(TestEvents.event(alarmId, AlarmEventStatus.ENDED), ops);

        String alias = CorrelationKey.of("cmon:" + alarmId, 512);
        assertThat(alias).hasSize(512);
        assertThat(server.requests().getFirst().json().path("alias").asText()).isEqualTo(alias);
        assertThat(server.requests().get(1).rawPath()).isEqualTo("/v2/alerts/" + alias.replace(":", "%3A") + "/close");
    }

    @Test
    void textsAreCutToOpsgeniesLimitsByCharacters() {
        java.util.Map<String, String> labels = new java.util.TreeMap<>();
        for (int i = 0; i < 40; i++) {
            labels.put("l" + (100 + i), "v".repeat(600));
        }
        List<String> categories = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            categories.add("category-" + i + "-" + "c".repeat(60));
        }
        AlarmEvent event = AlarmEvent.newBuilder(TestEvents.event("big", AlarmEventStatus.CREATED))
                .setTitle("é".repeat(300)).setMessage("m".repeat(20_000)).setCategories(categories).setLabels(labels).build();

        notifier.notify(event, integration(server.url("")));

        JsonNode body = server.requests().getFirst().json();
        assertThat(codePoints(body.path("message").asText())).isEqualTo(130);
        assertThat(body.path("message").asText()).startsWith("[CRITICAL] éé").endsWith("…");
        assertThat(codePoints(body.path("description").asText())).isEqualTo(15_000);
        assertThat(body.path("tags")).hasSize(20).allSatisfy(tag -> assertThat(codePoints(tag.asText())).isLessThanOrEqualTo(50));
        int details = 0;
        for (var entry : body.path("details").properties()) {
            details += codePoints(entry.getKey()) + codePoints(entry.getValue().asText());
        }
        assertThat(details).isLessThanOrEqualTo(8_000).isGreaterThan(7_000);
        assertThat(body.path("details").has("label.l100")).isTrue();
        assertThat(body.path("details").has("label.l139")).as("labels past the limit are left out").isFalse();
    }

    private static int codePoints(String text) {
        return text.codePointCount(0, text.length());
    }
}
