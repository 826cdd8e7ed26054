package io.tocsin.dispatcher.channel.splunkoncall;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.dispatcher.testing.ChannelTest;
import io.tocsin.dispatcher.testing.RecordingReceiver;
import io.tocsin.dispatcher.testing.RecordingReceiver.Response;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the channel sends to Splunk On-Call's REST endpoint for CREATED, ENDED, UPDATED and test events. */
class SplunkOnCallNotifierTest extends ChannelTest<SplunkOnCallNotifier> {

    static final String API_KEY = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    static final String ENDPOINT_PATH = "/integrations/generic/20131114/alert/" + API_KEY;
    static final String SUCCESS = "{\"result\":\"success\",\"entity_id\":\"cmon:470\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    SplunkOnCallNotifierTest() {
        super(SplunkOnCallNotifier::new, Response.json(200, SUCCESS));
    }

    IntegrationConfig integration(String endpoint, String routingKey, String link) {
        return TestEvents.integration("oncall", SplunkOnCallNotifier.SERVICE, "restEndpointUrl", endpoint, "routingKey", routingKey, "link", link);
    }

    private IntegrationConfig ops() {
        return integration(server.url(ENDPOINT_PATH), "database", null);
    }

    @Test
    void createdCriticalPostsACriticalAlertWithTheAlarmKeyAsEntityId() {
        DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED), ops());

        assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        RecordingReceiver.Request request = server.requests().getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.rawPath()).isEqualTo(ENDPOINT_PATH + "/database");
        assertThat(request.query()).isNull();
        assertThat(request.headers()).containsEntry("content-type", "application/json")
                .containsEntry("accept", "application/json").containsEntry("user-agent", "Tocsin/0.1");
        assertThat(request.body()).isEqualTo("{\"message_type\":\"CRITICAL\",\"entity_id\":\"cmon:470\","
                + "\"entity_display_name\":\"[CRITICAL] Server db1 reports: Disconnected\","
                + "\"state_message\":\"[CRITICAL] Server db1 reports: Disconnected\\nHost: db1.example.org\\nCluster: prod-galera"
                + "\\nServer db1:3306 is disconnected.\\nRecommendation: Restart failed node\","
                + "\"state_start_time\":1735787045,\"timestamp\":1735787046,\"monitoring_tool\":\"Tocsin\","
                + "\"host_name\":\"db1.example.org\",\"cluster\":\"prod-galera\",\"component\":\"Node\","
                + "\"alarm_type\":\"MySqlDisconnected\",\"severity\":\"CRITICAL\",\"event_id\":\"cmon:470/1735787045000/1\"}");
    }

    @Test
    void createdWarningIsAWarningAlert() throws Exception {
        notifier.notify(TestEvents.event("9", AlarmEventStatus.CREATED, Severity.WARNING, "c1", List.of()), ops());

        JsonNode body = JSON.readTree(server.requests().getFirst().body());
        assertThat(body.get("message_type").asText()).isEqualTo("WARNING");
        assertThat(body.get("entity_id").asText()).isEqualTo("cmon:9");
        assertThat(body.get("entity_display_name").asText()).isEqualTo("[WARNING] Server db1 reports: Disconnected");
    }

    @Test
    void endedSendsARecoveryWithTheSameEntityId() throws Exception {
        IntegrationConfig ops = ops();
        notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED), ops);

        DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.ENDED), ops);

        assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        RecordingReceiver.Request resolve = server.requests().get(1);
        assertThat(resolve.method()).isEqualTo("POST");
        assertThat(resolve.rawPath()).isEqualTo(ENDPOINT_PATH + "/database");
        JsonNode body = JSON.readTree(resolve.body());
        assertThat(body.get("message_type").asText()).isEqualTo("RECOVERY");
        assertThat(body.get("entity_id").asText()).isEqualTo(JSON.readTree(server.requests().getFirst().body()).get("entity_id").asText())
                .isEqualTo("cmon:470");
        assertThat(body.get("entity_display_name").asText()).isEqualTo("[RESOLVED] Server db1 reports: Disconnected");
        assertThat(body.get("timestamp").asLong()).isEqualTo(1735787048L);
        assertThat(body.get("state_start_time").asLong()).isEqualTo(1735787045L);
    }

    @Test
    void updatedIsNotSent() {
        DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.UPDATED), ops());

        assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void theTestNotificationIsAnInfoAlertThenARecovery() throws Exception {
        AlarmEvent created = AlarmEvent.newBuilder(TestEvents.event("test-1", AlarmEventStatus.CREATED, Severity.WARNING, "", List.of()))
                .setLabels(Map.of("tocsin.test", "true")).build();
        AlarmEvent ended = AlarmEvent.newBuilder(created).setStatus(AlarmEventStatus.ENDED).build();

        assertThat(notifier.notify(created, ops())).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        assertThat(notifier.notify(ended, ops())).isEqualTo(DeliveryResult.Delivered.INSTANCE);

        assertThat(notifier.resolvesTestEvents()).isTrue();
        assertThat(server.requests()).extracting(r -> JSON.readTree(r.body()).get("message_type").asText())
                .containsExactly("INFO", "RECOVERY");
        assertThat(server.requests()).extracting(r -> JSON.readTree(r.body()).get("entity_id").asText())
                .containsExactly("cmon:test-1", "cmon:test-1");
    }

    @Test
    void acceptsTheUrlAsShownWithItsRoutingKeyPlaceholderAndEncodesTheRoutingKey() {
        IntegrationConfig placeholder = integration(server.url(ENDPOINT_PATH + "/$routing_key"), "db_team-1.eu", null);
        IntegrationConfig slash = integration(server.url(ENDPOINT_PATH + "/"), "équipe", null);

        notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED), placeholder);
        notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED), slash);

        assertThat(server.requests()).extracting(RecordingReceiver.Request::rawPath)
                .containsExactly(ENDPOINT_PATH + "/db_team-1.eu", ENDPOINT_PATH + "/%C3%A9quipe");
        assertThat(notifier.validate(placeholder.settings())).isEmpty();
    }

    @Test
    void aConfiguredLinkBecomesAUrlAnnotation() throws Exception {
        notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED),
                integration(server.url(ENDPOINT_PATH), "database", "https://tocsin.example.org/alarms/{alarmKey}"));

        JsonNode body = JSON.readTree(server.requests().getFirst().body());
        assertThat(body.get("vo_annotate.u.Tocsin").asText()).isEqualTo("https://tocsin.example.org/alarms/cmon%3A470");
        assertThat(body.get("state_message").asText()).endsWith("\nhttps://tocsin.example.org/alarms/cmon%3A470");
    }

    @Test
    void cutsTheStateMessageByCharactersAndSendsTheWholeKey() throws Exception {
        String fire = "\uD83D\uDD25";
        String longId = "k".repeat(400);
        AlarmEvent event = AlarmEvent.newBuilder(TestEvents.event(longId, AlarmEventStatus.CREATED))
                .setMessage(fire.repeat(30_000)).build();

        notifier.notify(event, ops());

        JsonNode body = JSON.readTree(server.requests().getFirst().body());
        String stateMessage = body.get("state_message").asText();
        assertThat(stateMessage.codePointCount(0, stateMessage.length())).isEqualTo(SplunkOnCallAlert.MAX_STATE_MESSAGE);
        assertThat(stateMessage).endsWith(fire + "…");
        assertThat(body.get("entity_id").asText()).isEqualTo("cmon:" + longId);
    }

    @Test
    void settingsAreNamedAndTheEndpointIsSecret() {
        assertThat(notifier.service()).isEqualTo("splunk-oncall");
        assertThat(notifier.secretSettings()).containsExactly("restEndpointUrl");
        assertThat(notifier.isSecret("routingKey")).isFalse();
        assertThat(List.of("restEndpointUrl", "routingKey", "link")).allMatch(notifier::knows);
        assertThat(notifier.knows("url")).isFalse();
        assertThat(notifier.defaultRateLimit()).isEqualTo(new io.tocsin.dispatcher.delivery.Notifier.RateLimit(5, 50));
    }

    @Test
    void timesOutOnAServerThatNeverAnswers() throws Exception {
        JsonHttpSender impatient = sender(Duration.ofMillis(500));
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            DeliveryResult result = new SplunkOnCallNotifier(impatient).notify(TestEvents.event("1", AlarmEventStatus.CREATED),
                    integration("http://127.0.0.1:" + silent.getLocalPort() + ENDPOINT_PATH, "database", null));
            assertThat(result).isInstanceOf(DeliveryResult.Retryable.class);
            assertThat(((DeliveryResult.Retryable) result).failure()).isEqualTo(Failure.TIMEOUT);
        } finally {
            impatient.close();
        }
    }
}
