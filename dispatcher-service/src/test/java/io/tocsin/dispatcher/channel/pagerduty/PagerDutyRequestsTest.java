package io.tocsin.dispatcher.channel.pagerduty;

import static io.tocsin.dispatcher.channel.pagerduty.PagerDutyFixtures.ACCEPTED;
import static io.tocsin.dispatcher.channel.pagerduty.PagerDutyFixtures.ROUTING_KEY;
import static io.tocsin.dispatcher.channel.pagerduty.PagerDutyFixtures.integration;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the PagerDuty channel sends: the exact requests for trigger, resolve and the test notification. */
class PagerDutyRequestsTest extends ChannelTest<PagerDutyNotifier> {

    private static final ObjectMapper JSON = new ObjectMapper();


    PagerDutyRequestsTest() {
        super(PagerDutyNotifier::new, Response.json(202, ACCEPTED), Duration.ofSeconds(1));
    }

    @Test
    void createdTriggersAnAlertWithTheAlarmKeyAsDedupKey() throws Exception {
        DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED), integration(server.url("/v2/enqueue")));

        assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        Request request = server.requests().getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v2/enqueue");
        assertThat(request.query()).isNull();
        assertThat(request.headers()).containsEntry("content-type", "application/json").containsEntry("user-agent", "Tocsin/0.1")
                .doesNotContainKey("authorization");
        assertThat(request.json()).isEqualTo(JSON.readTree("""
                {"routing_key":"%s","event_action":"trigger","dedup_key":"cmon:470",
                 "payload":{"summary":"[CRITICAL] Server db1 reports: Disconnected","source":"db1.example.org",
                   "severity":"critical","timestamp":"2025-01-02T03:04:05Z","component":"Node","group":"prod-galera",
                   "class":"MySqlDisconnected",
                   "custom_details":{"message":"Server db1:3306 is disconnected.","recommendation":"Restart failed node",
                     "host":"db1.example.org","cluster":"prod-galera","alarm_key":"cmon:470",
                     "event_id":"cmon:470/1735787045000/1","opened_at":"2025-01-02T03:04:05Z","categories":["Node"]}},
                 "client":"Tocsin"}""".formatted(ROUTING_KEY)));
    }

    @Test
    void endedResolvesWithTheSameDedupKeyAndNothingElse() throws Exception {
        IntegrationConfig pd = integration(server.url("/v2/enqueue"));

        notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED), pd);
        DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.ENDED), pd);

        assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        Request resolve = server.requests().get(1);
        assertThat(resolve.method()).isEqualTo("POST");
        assertThat(resolve.path()).isEqualTo("/v2/enqueue");
        assertThat(resolve.headers()).containsEntry("content-type", "application/json");
        assertThat(resolve.json()).isEqualTo(JSON.readTree(
                "{\"routing_key\":\"" + ROUTING_KEY + "\",\"event_action\":\"resolve\",\"dedup_key\":\"cmon:470\"}"));
        assertThat(server.requests().getFirst().json().path("dedup_key")).isEqualTo(resolve.json().path("dedup_key"));
    }

    @Test
    void warningMapsToWarning() {
        AlarmEvent warning = TestEvents.event("9", AlarmEventStatus.CREATED, Severity.WARNING, "c1", List.of());

        notifier.notify(warning, integration(server.url("/v2/enqueue")));

        assertThat(server.requests().getFirst().json().path("payload").path("severity").asText()).isEqualTo("warning");
    }

    @Test
    void theTestNotificationTriggersAtInfoAndIsResolved() {
        IntegrationConfig pd = integration(server.url("/v2/enqueue"));
        AlarmEvent created = TestEvents.testNotification(pd);

        assertThat(notifier.resolvesTestEvents()).isTrue();
        assertThat(notifier.notify(created, pd)).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        assertThat(notifier.notify(TestEvents.endedTestNotification(created), pd)).isEqualTo(DeliveryResult.Delivered.INSTANCE);

        List<JsonNode> bodies = server.requests().stream().map(Request::json).toList();
        assertThat(bodies).extracting(body -> body.path("event_action").asText()).containsExactly("trigger", "resolve");
        assertThat(bodies).extracting(body -> body.path("dedup_key").asText()).containsOnly(created.getAlarmKey());
        JsonNode payload = bodies.getFirst().path("payload");
        assertThat(payload.path("severity").asText()).isEqualTo("info");
        assertThat(payload.path("summary").asText()).isEqualTo("[WARNING] Tocsin test notification");
        assertThat(payload.path("source").asText()).isEqualTo("tocsin");
        assertThat(payload.has("group")).as("no empty cluster").isFalse();
        assertThat(payload.path("custom_details").path("labels").path("tocsin.test").asText()).isEqualTo("true");
    }

    @Test
    void updatesAreNotSent() {
        DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.UPDATED), integration(server.url("/v2/enqueue")));

        assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aConfiguredLinkIsSentAsLinkAndClientUrl() {
        AlarmEvent event = TestEvents.event("a b/7", AlarmEventStatus.CREATED);

        notifier.notify(event, integration(server.url("/v2/enqueue"), "link", "https://tocsin.example.com/alarms/{alarmKey}"));

        JsonNode body = server.requests().getFirst().json();
        String link = "https://tocsin.example.com/alarms/cmon%3Aa+b%2F7";
        assertThat(body.path("client_url").asText()).isEqualTo(link);
        assertThat(body.path("links")).hasSize(1);
        assertThat(body.path("links").get(0).path("href").asText()).isEqualTo(link);
        assertThat(body.path("links").get(0).path("text").asText()).isEqualTo("Alarm in Tocsin");
        assertThat(body.path("payload").path("custom_details").path("link").asText()).isEqualTo(link);
    }

    @Test
    void aKeyLongerThan255CharactersIsShortenedTheSameWayForTriggerAndResolve() {
        String alarmId = "x".repeat(300);
        IntegrationConfig pd = integration(server.url("/v2/enqueue"));

        notifier.notify(TestEvents.event(alarmId, AlarmEventStatus.CREATED), pd);
        notifier.notify(TestEvents.event(alarmId, AlarmEventStatus.ENDED), pd);

        List<String> keys = server.requests().stream().map(r -> r.json().path("dedup_key").asText()).toList();
        assertThat(keys.getFirst()).hasSize(255).startsWith("cmon:xxx").isEqualTo(keys.get(1))
                .isEqualTo(CorrelationKey.of("cmon:" + alarmId, 255));
        assertThat(server.requests().getFirst().json().path("payload").path("custom_details").path("alarm_key").asText())
                .isEqualTo("cmon:" + alarmId);
    }

    @Test
    void aLongTitleIsCutTo1024CharactersAndAnOversizedEventLosesItsDetails() {
        AlarmEvent event = AlarmEvent.newBuilder(TestEvents.event("big", AlarmEventStatus.CREATED))
                .setTitle("é".repeat(2000)).setMessage("m".repeat(600_000)).build();

        assertThat(notifier.notify(event, integration(server.url("/v2/enqueue")))).isEqualTo(DeliveryResult.Delivered.INSTANCE);

        Request request = server.requests().getFirst();
        JsonNode payload = request.json().path("payload");
        String summary = payload.path("summary").asText();
        assertThat(summary.codePointCount(0, summary.length())).isEqualTo(1024);
        assertThat(summary).startsWith("[CRITICAL] éé").endsWith("…");
        assertThat(request.body().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(PagerDutyEvent.MAX_EVENT_BYTES);
        assertThat(payload.path("custom_details").path("note").asText()).contains("512 KB");
        assertThat(payload.path("custom_details").path("alarm_key").asText()).isEqualTo("cmon:big");
    }

    @Test
    void theDefaultRateLimitKeepsUnderPagerDutys120EventsPerMinute() {
        var limit = notifier.defaultRateLimit();

        assertThat(limit.burst() + limit.perSecond() * 60).isLessThanOrEqualTo(120.0);
        assertThat(limit.perSecond() * 60).isGreaterThanOrEqualTo(100.0);
    }
}
