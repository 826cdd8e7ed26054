package io.tocsin.dispatcher.channel.servicenow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.dispatcher.testing.ChannelTest;
import io.tocsin.dispatcher.testing.RecordingReceiver;
import io.tocsin.dispatcher.testing.RecordingReceiver.Response;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.Severity;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Incident mode: what the channel asks the Table API for CREATED, ENDED, UPDATED and test events. */
class ServiceNowIncidentTest extends ChannelTest<ServiceNowNotifier> {

    static final String SYS_ID = "9d385017c611228701d22104cc95c371";
    static final String PASSWORD = "S3cret-P4ssw0rd!";
    static final Response NONE_OPEN = Response.json(200, "{\"result\":[]}");
    static final Response CREATED = Response.json(201, "{\"result\":{\"sys_id\":\"" + SYS_ID + "\",\"number\":\"INC0010001\"}}");
    static final Response ONE_OPEN = Response.json(200, "{\"result\":[{\"sys_id\":\"" + SYS_ID + "\",\"number\":\"INC0010001\",\"state\":\"1\"}]}");
    static final Response PATCHED = Response.json(200, "{\"result\":{\"sys_id\":\"" + SYS_ID + "\",\"state\":\"6\"}}");
    private static final ObjectMapper JSON = new ObjectMapper();

    ServiceNowIncidentTest() {
        super(ServiceNowNotifier::new, Response.json(500, "{\"error\":{\"message\":\"unexpected request\"},\"status\":\"failure\"}"));
    }

    static IntegrationConfig integration(String instanceUrl, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of("instanceUrl", instanceUrl, "username", "tocsin.integration", "password", PASSWORD));
        settings.putAll(extra);
        return IntegrationConfig.declared("snow", ServiceNowNotifier.SERVICE, settings);
    }

    private IntegrationConfig snow() {
        return integration(server.url("/"), Map.of());
    }

    static String decodedQuery(RecordingReceiver.Request request) {
        return URLDecoder.decode(request.query(), StandardCharsets.UTF_8);
    }

    @Test
    void createdLooksForAnOpenIncidentThenCreatesOneWithTheCorrelationId() {
        server.thenAnswer(NONE_OPEN, CREATED);

        DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED), snow());

        assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        List<RecordingReceiver.Request> requests = server.requests();
        assertThat(requests).hasSize(2);
        String basic = "Basic " + Base64.getEncoder().encodeToString(("tocsin.integration:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        RecordingReceiver.Request lookup = requests.get(0);
        assertThat(lookup.method()).isEqualTo("GET");
        assertThat(lookup.rawPath()).isEqualTo("/api/now/table/incident");
        assertThat(decodedQuery(lookup)).isEqualTo("sysparm_query=correlation_id=cmon:470^active=true&sysparm_fields=sys_id,number,state&sysparm_limit=10");
        assertThat(lookup.headers()).containsEntry("authorization", basic).containsEntry("accept", "application/json");
        assertThat(lookup.body()).isEmpty();
        RecordingReceiver.Request create = requests.get(1);
        assertThat(create.method()).isEqualTo("POST");
        assertThat(create.rawPath()).isEqualTo("/api/now/table/incident");
        assertThat(decodedQuery(create)).isEqualTo("sysparm_fields=sys_id,number");
        assertThat(create.headers()).containsEntry("authorization", basic).containsEntry("accept", "application/json")
                .containsEntry("content-type", "application/json");
        assertThat(create.body()).isEqualTo("{\"short_description\":\"[CRITICAL] Server db1 reports: Disconnected\","
                + "\"description\":\"[CRITICAL] Server db1 reports: Disconnected\\nHost: db1.example.org\\nCluster: prod-galera"
                + "\\nServer db1:3306 is disconnected.\\nRecommendation: Restart failed node\","
                + "\"impact\":\"1\",\"urgency\":\"1\",\"correlation_id\":\"cmon:470\",\"correlation_display\":\"Tocsin\"}");
    }

    @Test
    void anAlreadyOpenIncidentIsNotCreatedTwice() {
        server.thenAnswer(ONE_OPEN);

        assertThat(notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED), snow())).isEqualTo(DeliveryResult.Delivered.INSTANCE);

        assertThat(server.requests()).extracting(RecordingReceiver.Request::method).containsExactly("GET");
    }

    @Test
    void endedFindsTheIncidentByCorrelationIdAndResolvesItEvenAfterARestart() throws Exception {
        server.thenAnswer(NONE_OPEN, CREATED);
        notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED), snow());
        ServiceNowNotifier restarted = new ServiceNowNotifier(sender); // nothing carried over from the first
        server.thenAnswer(ONE_OPEN, PATCHED);

        DeliveryResult result = restarted.notify(TestEvents.event("470", AlarmEventStatus.ENDED), snow());

        assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        List<RecordingReceiver.Request> requests = server.requests().subList(2, 4);
        assertThat(requests.get(0).method()).isEqualTo("GET");
        assertThat(decodedQuery(requests.get(0))).startsWith("sysparm_query=correlation_id=cmon:470^active=true&");
        RecordingReceiver.Request patch = requests.get(1);
        assertThat(patch.method()).isEqualTo("PATCH");
        assertThat(patch.rawPath()).isEqualTo("/api/now/table/incident/" + SYS_ID);
        assertThat(decodedQuery(patch)).isEqualTo("sysparm_fields=sys_id,state");
        assertThat(patch.headers()).containsEntry("content-type", "application/json").containsEntry("accept", "application/json");
        assertThat(patch.body()).isEqualTo("{\"state\":\"6\",\"close_code\":\"Solution provided\","
                + "\"close_notes\":\"Resolved by Tocsin: the alarm cmon:470 ended at 2025-01-02T03:04:08Z.\"}");
    }

    @Test
    void endedWithoutAnOpenIncidentHasNothingToResolve() {
        server.thenAnswer(NONE_OPEN);

        assertThat(notifier.notify(TestEvents.event("470", AlarmEventStatus.ENDED), snow())).isEqualTo(DeliveryResult.Delivered.INSTANCE);

        assertThat(server.requests()).extracting(RecordingReceiver.Request::method).containsExactly("GET");
    }

    @Test
    void endedResolvesEveryOpenIncidentOfTheAlarm() {
        String other = "0123456789abcdef0123456789abcdef";
        server.thenAnswer(Response.json(200, "{\"result\":[{\"sys_id\":\"" + SYS_ID + "\"},{\"sys_id\":\"" + other + "\"}]}"), PATCHED, PATCHED);

        assertThat(notifier.notify(TestEvents.event("470", AlarmEventStatus.ENDED), snow())).isEqualTo(DeliveryResult.Delivered.INSTANCE);

        assertThat(server.requests()).extracting(r -> r.method() + " " + r.rawPath()).containsExactly("GET /api/now/table/incident",
                "PATCH /api/now/table/incident/" + SYS_ID, "PATCH /api/now/table/incident/" + other);
    }

    @Test
    void updatedIsNotSent() {
        assertThat(notifier.notify(TestEvents.event("470", AlarmEventStatus.UPDATED), snow())).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void warningIsImpactAndUrgency2AndTheTestNotificationIs3ThenResolved() throws Exception {
        AlarmEvent test = AlarmEvent.newBuilder(TestEvents.event("test-1", AlarmEventStatus.CREATED, Severity.WARNING, "", List.of()))
                .setLabels(Map.of("tocsin.test", "true")).build();
        server.thenAnswer(NONE_OPEN, CREATED, NONE_OPEN, CREATED, ONE_OPEN, PATCHED);

        notifier.notify(TestEvents.event("9", AlarmEventStatus.CREATED, Severity.WARNING, "c1", List.of()), snow());
        notifier.notify(test, snow());
        assertThat(notifier.notify(AlarmEvent.newBuilder(test).setStatus(AlarmEventStatus.ENDED).build(), snow()))
                .isEqualTo(DeliveryResult.Delivered.INSTANCE);

        JsonNode warning = JSON.readTree(server.requests().get(1).body());
        assertThat(warning.get("impact").asText() + warning.get("urgency").asText()).isEqualTo("22");
        JsonNode testIncident = JSON.readTree(server.requests().get(3).body());
        assertThat(testIncident.get("impact").asText() + testIncident.get("urgency").asText()).isEqualTo("33");
        assertThat(testIncident.get("correlation_id").asText()).isEqualTo("cmon:test-1");
        assertThat(server.requests().get(5).method()).isEqualTo("PATCH");
        assertThat(notifier.resolvesTestEvents()).isTrue();
    }

    @Test
    void anOauthTokenIsSentAsBearerAndCloseCodeAssignmentGroupAndLinkAreUsed() throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of("instanceUrl", server.url(""), "oauthToken", "tok3n.abc",
                "closeCode", "Solved (Permanently)", "assignmentGroup", "287ebd7da9fe198100f92cc8d1d2154e",
                "link", "https://tocsin.example.org/alarms/{alarmKey}"));
        IntegrationConfig oauth = IntegrationConfig.declared("snow", ServiceNowNotifier.SERVICE, settings);
        server.thenAnswer(NONE_OPEN, CREATED, ONE_OPEN, PATCHED);

        notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED), oauth);
        notifier.notify(TestEvents.event("470", AlarmEventStatus.ENDED), oauth);

        assertThat(server.requests()).allSatisfy(r -> assertThat(r.headers()).containsEntry("authorization", "Bearer tok3n.abc"));
        JsonNode create = JSON.readTree(server.requests().get(1).body());
        assertThat(create.get("assignment_group").asText()).isEqualTo("287ebd7da9fe198100f92cc8d1d2154e");
        assertThat(create.get("description").asText()).endsWith("\nhttps://tocsin.example.org/alarms/cmon%3A470");
        assertThat(JSON.readTree(server.requests().get(3).body()).get("close_code").asText()).isEqualTo("Solved (Permanently)");
    }

    @Test
    void keysTooLongOrWithACaretAreShortenedStablyTo100Characters() throws Exception {
        String longId = "node-" + "x".repeat(200);
        String key = "cmon:" + longId;
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        String expected = key.substring(0, 35) + "#" + hash;
        server.thenAnswer(NONE_OPEN, CREATED, ONE_OPEN, PATCHED);

        notifier.notify(TestEvents.event(longId, AlarmEventStatus.CREATED), snow());
        notifier.notify(TestEvents.event(longId, AlarmEventStatus.ENDED), snow());

        assertThat(expected).hasSize(100);
        assertThat(JSON.readTree(server.requests().get(1).body()).get("correlation_id").asText()).isEqualTo(expected);
        assertThat(decodedQuery(server.requests().get(2))).startsWith("sysparm_query=correlation_id=" + expected + "^active=true&");
        assertThat(CorrelationId.of("cmon:a^b")).isEqualTo("cmon:a_b#" + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest("cmon:a^b".getBytes(StandardCharsets.UTF_8))));
        assertThat(CorrelationId.of("k".repeat(100))).isEqualTo("k".repeat(100));
        String fire = "\uD83D\uDD25";
        assertThat(CorrelationId.of(fire.repeat(101))).startsWith(fire.repeat(35) + "#")
                .satisfies(id -> assertThat(id.codePointCount(0, id.length())).isEqualTo(100));
    }
}
