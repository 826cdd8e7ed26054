package io.tocsin.dispatcher.channel.servicenow;

import static io.tocsin.dispatcher.channel.servicenow.ServiceNowIncidentTest.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.dispatcher.testing.ChannelTest;
import io.tocsin.dispatcher.testing.RecordingReceiver;
import io.tocsin.dispatcher.testing.RecordingReceiver.Response;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.Severity;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Event mode: the em_event records sent to Event Management for CREATED, ENDED and test events. */
class ServiceNowEventTest extends ChannelTest<ServiceNowNotifier> {

    static final Response ACCEPTED = Response.json(200, "{\"result\":{\"Default Bulk Endpoint\":\"1 events were inserted\"}}");
    private static final ObjectMapper JSON = new ObjectMapper();

    ServiceNowEventTest() {
        super(ServiceNowNotifier::new, ACCEPTED);
    }

    private IntegrationConfig events() {
        return ServiceNowIncidentTest.integration(server.url(""), Map.of("mode", "event"));
    }

    @Test
    void createdPostsOneCriticalEventWithTheAlarmKeyAsMessageKey() {
        DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED), events());

        assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        RecordingReceiver.Request request = server.requests().getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.rawPath()).isEqualTo("/api/global/em/jsonv2");
        assertThat(request.query()).isNull();
        assertThat(request.headers()).containsEntry("content-type", "application/json").containsEntry("accept", "application/json")
                .containsEntry("authorization", "Basic " + Base64.getEncoder().encodeToString(("tocsin.integration:" + PASSWORD)
                        .getBytes(StandardCharsets.UTF_8)));
        assertThat(request.body()).isEqualTo("{\"records\":[{\"source\":\"Tocsin\",\"event_class\":\"cmon\",\"node\":\"db1.example.org\","
                + "\"resource\":\"Node\",\"type\":\"MySqlDisconnected\",\"message_key\":\"cmon:470\",\"severity\":\"1\","
                + "\"resolution_state\":\"New\",\"description\":\"[CRITICAL] Server db1 reports: Disconnected\\nHost: db1.example.org"
                + "\\nCluster: prod-galera\\nServer db1:3306 is disconnected.\\nRecommendation: Restart failed node\","
                + "\"time_of_event\":\"2025-01-02 03:04:06\",\"additional_info\":\"{\\\"alarm_key\\\":\\\"cmon:470\\\","
                + "\\\"event_id\\\":\\\"cmon:470/1735787045000/1\\\",\\\"cluster\\\":\\\"prod-galera\\\","
                + "\\\"title\\\":\\\"[CRITICAL] Server db1 reports: Disconnected\\\",\\\"recommendation\\\":\\\"Restart failed node\\\"}\"}]}");
    }

    @Test
    void endedClearsTheSameMessageKeyAndWarningAndTestMapToTheirSeverities() throws Exception {
        AlarmEvent test = AlarmEvent.newBuilder(TestEvents.event("test-1", AlarmEventStatus.CREATED, Severity.WARNING, "", List.of()))
                .setLabels(Map.of("tocsin.test", "true")).build();

        notifier.notify(TestEvents.event("470", AlarmEventStatus.ENDED), events());
        notifier.notify(TestEvents.event("9", AlarmEventStatus.CREATED, Severity.WARNING, "c1", List.of()), events());
        notifier.notify(test, events());
        notifier.notify(AlarmEvent.newBuilder(test).setStatus(AlarmEventStatus.ENDED).build(), events());
        notifier.notify(TestEvents.event("470", AlarmEventStatus.UPDATED), events());

        List<JsonNode> records = server.requests().stream().map(r -> {
            try {
                return JSON.readTree(r.body()).get("records").get(0);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
        assertThat(records).hasSize(4);
        assertThat(records).extracting(r -> r.get("message_key").asText() + " " + r.get("severity").asText() + " " + r.get("resolution_state").asText())
                .containsExactly("cmon:470 0 Closing", "cmon:9 4 New", "cmon:test-1 5 New", "cmon:test-1 0 Closing");
        assertThat(records.getFirst().get("time_of_event").asText()).isEqualTo("2025-01-02 03:04:08");
    }

    @Test
    void errorsAreClassifiedLikeTheTableApis() {
        server.thenAnswer(Response.json(401, "{\"error\":{\"message\":\"User Not Authenticated\",\"detail\":\"Required to provide Auth information\"},\"status\":\"failure\"}"),
                new Response(503, Map.of("Retry-After", "7"), ""));

        assertThat(notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED), events())).isEqualTo(new DeliveryResult.Permanent(
                Failure.AUTH, "HTTP 401: User Not Authenticated (Required to provide Auth information)", 401));
        assertThat(notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED), events())).isEqualTo(new DeliveryResult.Retryable(
                Failure.SERVER, "HTTP 503", 503, Optional.of(java.time.Duration.ofSeconds(7))));
    }
}
