package io.tocsin.dispatcher.channel.teams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.dispatcher.testing.ChannelTest;
import io.tocsin.dispatcher.testing.RecordingReceiver;
import io.tocsin.dispatcher.testing.RecordingReceiver.Response;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.Severity;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link TeamsNotifier} sends, checked on a real HTTP server standing in for a Workflows webhook server. */
class TeamsNotifierTest extends ChannelTest<TeamsNotifier> {

    /** A Workflows trigger's path and query, where its secret travels as {@code sig}. */
    static final String PATH = "/workflows/3f2b/triggers/manual/paths/invoke";
    static final String SIG = "Zm9vYmFyU2VjcmV0U2lnbmF0dXJl";
    static final String QUERY = "api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=" + SIG;
    /** What Workflows answers: 202 Accepted, no body. */
    static final Response ACCEPTED = Response.status(202);
    private static final ObjectMapper JSON = new ObjectMapper();

    TeamsNotifierTest() {
        super(TeamsNotifier::new, ACCEPTED);
    }

    /** The workflow URL of the local trigger, secret included. */
    static String workflowUrl(RecordingReceiver trigger) {
        return trigger.url(PATH + "?" + QUERY);
    }

    static IntegrationConfig teams(String workflowUrl, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(extra);
        settings.put("workflowUrl", workflowUrl);
        return IntegrationConfig.declared("channel", "teams", settings);
    }

    private JsonNode card(int request) throws Exception {
        JsonNode envelope = JSON.readTree(server.requests().get(request).body());
        return envelope.path("attachments").path(0).path("content");
    }

    @Test
    void createdPostsAnAdaptiveCardInTheWorkflowsEnvelope() {
        DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED), teams(workflowUrl(server), Map.of()));

        assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        RecordingReceiver.Request request = server.requests().getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.rawPath()).isEqualTo(PATH);
        assertThat(request.query()).isEqualTo(QUERY);
        assertThat(request.headers()).containsEntry("content-type", "application/json").containsEntry("user-agent", "Tocsin/0.1");
        assertThat(request.body()).isEqualTo("{\"type\":\"message\",\"attachments\":[{\"contentType\":\"application/vnd.microsoft.card.adaptive\","
                + "\"contentUrl\":null,\"content\":{\"$schema\":\"http://adaptivecards.io/schemas/adaptive-card.json\",\"type\":\"AdaptiveCard\","
                + "\"version\":\"1.4\",\"body\":["
                + "{\"type\":\"TextBlock\",\"text\":\"\\\\[CRITICAL\\\\] Server db1 reports: Disconnected\",\"wrap\":true,"
                + "\"weight\":\"Bolder\",\"size\":\"Medium\",\"color\":\"Attention\"},"
                + "{\"type\":\"FactSet\",\"facts\":[{\"title\":\"Host\",\"value\":\"db1.example.org\"},{\"title\":\"Cluster\",\"value\":\"prod-galera\"}]},"
                + "{\"type\":\"TextBlock\",\"text\":\"Server db1:3306 is disconnected.\",\"wrap\":true},"
                + "{\"type\":\"TextBlock\",\"text\":\"Recommendation: Restart failed node\",\"wrap\":true}],"
                + "\"msteams\":{\"width\":\"Full\"}}}]}");
    }

    @Test
    void endedPostsAGreenResolvedCardAndWarningsAreYellow() throws Exception {
        IntegrationConfig channel = teams(workflowUrl(server), Map.of());
        notifier.notify(TestEvents.event("7", AlarmEventStatus.CREATED, Severity.WARNING, "c1", List.of()), channel);
        notifier.notify(TestEvents.event("7", AlarmEventStatus.ENDED, Severity.WARNING, "c1", List.of()), channel);

        assertThat(card(0).path("body").path(0).path("text").asText()).isEqualTo("\\[WARNING\\] Server db1 reports: Disconnected");
        assertThat(card(0).path("body").path(0).path("color").asText()).isEqualTo("Warning");
        assertThat(card(1).path("body").path(0).path("text").asText()).isEqualTo("\\[RESOLVED\\] Server db1 reports: Disconnected");
        assertThat(card(1).path("body").path(0).path("color").asText()).isEqualTo("Good");
        assertThat(server.requests().get(1).query()).isEqualTo(QUERY);
    }

    @Test
    void theTestEventIsAnOrdinaryCardThatSaysItIsATest() throws Exception {
        IntegrationConfig channel = teams(workflowUrl(server), Map.of());

        assertThat(notifier.notify(TestEvents.testNotification(channel), channel)).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        assertThat(notifier.resolvesTestEvents()).isFalse();

        JsonNode body = card(0).path("body");
        assertThat(body.path(0).path("text").asText()).isEqualTo("\\[WARNING\\] Tocsin test notification");
        assertThat(body.path(1).path("facts").toString()).isEqualTo("[{\"title\":\"Host\",\"value\":\"tocsin\"}]");
        assertThat(body.path(2).path("text").asText()).isEqualTo("This is a test notification from Tocsin for the integration 'channel'. No action is needed.");
    }

    @Test
    void updatedSendsNothing() {
        assertThat(notifier.notify(TestEvents.event("470", AlarmEventStatus.UPDATED), teams(workflowUrl(server), Map.of())))
                .isEqualTo(DeliveryResult.Delivered.INSTANCE);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void theLinkBecomesAnOpenAction() throws Exception {
        notifier.notify(TestEvents.event("a/b", AlarmEventStatus.CREATED),
                teams(workflowUrl(server), Map.of("link", "https://tocsin.example.org/alarms/{alarmKey}")));
        notifier.notify(TestEvents.event("a/b", AlarmEventStatus.CREATED), teams(workflowUrl(server), Map.of("link", "see runbook {alarmKey}")));

        assertThat(card(0).path("actions").toString())
                .isEqualTo("[{\"type\":\"Action.OpenUrl\",\"title\":\"Open\",\"url\":\"https://tocsin.example.org/alarms/cmon%3Aa%2Fb\"}]");
        assertThat(card(1).has("actions")).isFalse();
        JsonNode body = card(1).path("body");
        assertThat(body.path(body.size() - 1).path("text").asText()).isEqualTo("see runbook cmon%3Aa%2Fb");
    }

    @Test
    void escapesCardMarkdownAndKeepsLineBreaks() throws Exception {
        AlarmEvent event = AlarmEvent.newBuilder(TestEvents.event("1", AlarmEventStatus.CREATED))
                .setTitle("my_table *hot* [x](http://evil.example) `rm` ~y~ \\n")
                .setMessage("Failed:\n- node1\n+ node2\n12. retry\n-5 degrees <b>&amp;</b>")
                .setHostname("db_1").build();

        notifier.notify(event, teams(workflowUrl(server), Map.of()));

        JsonNode body = card(0).path("body");
        assertThat(body.path(0).path("text").asText())
                .isEqualTo("\\[CRITICAL\\] my\\_table \\*hot\\* \\[x\\](http://evil.example) \\`rm\\` \\~y\\~ \\\\n");
        assertThat(body.path(1).path("facts").path(0).path("value").asText()).isEqualTo("db\\_1");
        assertThat(body.path(2).path("text").asText()).isEqualTo("Failed:\n\n\\- node1\n\n\\+ node2\n\n12\\. retry\n\n-5 degrees <b>&amp;</b>");
    }

    @Test
    void aHugeAlarmIsCutToTeamsSizeLimitByCharacters() throws Exception {
        AlarmEvent event = AlarmEvent.newBuilder(TestEvents.event("1", AlarmEventStatus.CREATED))
                .setMessage("é\uD83D\uDD25".repeat(20_000)).setRecommendation("x".repeat(10_000)).build();

        assertThat(notifier.notify(event, teams(workflowUrl(server), Map.of()))).isEqualTo(DeliveryResult.Delivered.INSTANCE);

        String sent = server.requests().getFirst().body();
        assertThat(sent.getBytes(StandardCharsets.UTF_8).length).isBetween(TeamsCard.MAX_BYTES - 200, TeamsCard.MAX_BYTES);
        String message = card(0).path("body").path(2).path("text").asText();
        assertThat(message).startsWith("é\uD83D\uDD25é").endsWith("…");
        assertThat(Character.isHighSurrogate(message.charAt(message.length() - 2))).as("no emoji split").isFalse();
        assertThat(card(0).path("body").path(3).path("text").asText()).startsWith("Recommendation: xxx");
    }

    @Test
    void deniedTargetsAreRefusedBeforeAnyConnection() {
        JsonHttpSender guarded = loopbackDeniedSender();
        try {
            DeliveryResult result = new TeamsNotifier(guarded).notify(TestEvents.event("1", AlarmEventStatus.CREATED), teams(workflowUrl(server), Map.of()));

            assertThat(result).isInstanceOf(DeliveryResult.Permanent.class);
            assertThat(((DeliveryResult.Permanent) result).failure()).isEqualTo(DeliveryResult.Failure.CONFIG);
            assertThat(result.reason()).contains("127.0.0.1").doesNotContain(SIG);
            assertThat(server.requests()).isEmpty();
        } finally {
            guarded.close();
        }
    }

    @Test
    void settingsAndDefaults() {
        assertThat(notifier.service()).isEqualTo("teams");
        assertThat(notifier.secretSettings()).containsExactly("workflowUrl");
        assertThat(notifier.knows("workflowUrl")).isTrue();
        assertThat(notifier.knows("link")).isTrue();
        assertThat(notifier.knows("url")).isFalse();
        assertThat(notifier.defaultRateLimit()).isEqualTo(new Notifier.RateLimit(4, 4));
    }

    @Test
    void validationNamesTheUrlWithoutEchoingIt() {
        Map<String, String> missing = new HashMap<>();
        missing.put("workflowUrl", null);
        assertThat(notifier.validate(missing)).singleElement().satisfies(error -> assertThat(error.field()).isEqualTo("workflowUrl"));
        for (String url : new String[] {"ftp://prod.example/x?sig=" + SIG, "/workflows/x?sig=" + SIG,
                "https://bad host/x?sig=" + SIG}) {
            assertThat(notifier.validate(Map.of("workflowUrl", url))).singleElement().satisfies(error -> {
                assertThat(error.field()).isEqualTo("workflowUrl");
                assertThat(error.message()).doesNotContain(SIG);
            });
        }
        assertThat(notifier.validate(Map.of("workflowUrl", "https://prod-12.westeurope.logic.azure.com:443/workflows/3f2b/triggers/manual/paths/invoke?"
                + QUERY))).isEmpty();
    }
}
