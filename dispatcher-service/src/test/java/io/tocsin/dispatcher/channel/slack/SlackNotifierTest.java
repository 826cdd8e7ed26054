package io.tocsin.dispatcher.channel.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
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
import io.tocsin.schema.wire.FieldError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SlackNotifierTest extends ChannelTest<SlackNotifier> {

    private static final String HOOK_PATH = "/services/T000/B000/SECRETTOKEN42";
    private static final ObjectMapper JSON = new ObjectMapper();

    SlackNotifierTest() {
        super(SlackNotifier::new, Response.of(200, "ok"), Duration.ofSeconds(5));
    }

    private IntegrationConfig integration(String webhookUrl, String link) {
        return TestEvents.integration("team-chat", "slack", "webhookUrl", webhookUrl, "link", link);
    }

    private IntegrationConfig integration() {
        return integration(server.url(HOOK_PATH), null);
    }

    @Test
    void createdPostsTheExactMessageColouredBySeverity() {
        DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED),
                integration(server.url(HOOK_PATH), "https://tocsin.example.org/alarms/{alarmKey}"));

        assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        RecordingReceiver.Request request = server.requests().getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo(HOOK_PATH);
        assertThat(request.query()).isNull();
        assertThat(request.headers()).containsEntry("content-type", "application/json").containsEntry("user-agent", "Tocsin/0.1");
        assertThat(request.body()).isEqualTo("{\"text\":\"[CRITICAL] Server db1 reports: Disconnected\","
                + "\"attachments\":[{\"color\":\"#E01E5A\",\"blocks\":["
                + "{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"*Host:* db1.example.org\\n*Cluster:* prod-galera\\n"
                + "Server db1:3306 is disconnected.\\n*Recommendation:* Restart failed node\"}},"
                + "{\"type\":\"context\",\"elements\":[{\"type\":\"mrkdwn\",\"text\":\"<https://tocsin.example.org/alarms/cmon%3A470|Open the alarm>\"},"
                + "{\"type\":\"mrkdwn\",\"text\":\"cmon:470 · 2025-01-02 03:04:06 UTC\"}]}]}]}");
    }

    @Test
    void endedPostsAGreenResolvedMessageWithoutTheRecommendation() throws Exception {
        notifier.notify(TestEvents.event("470", AlarmEventStatus.ENDED), integration());

        JsonNode body = JSON.readTree(server.requests().getFirst().body());
        assertThat(body.get("text").asText()).isEqualTo("[RESOLVED] Server db1 reports: Disconnected");
        JsonNode attachment = body.get("attachments").get(0);
        assertThat(attachment.get("color").asText()).isEqualTo("#2EB67D");
        assertThat(attachment.at("/blocks/0/text/text").asText())
                .isEqualTo("*Host:* db1.example.org\n*Cluster:* prod-galera\nServer db1:3306 is disconnected.");
        assertThat(attachment.at("/blocks/1/elements").size()).as("no link configured: key and time only").isEqualTo(1);
        assertThat(attachment.at("/blocks/1/elements/0/text").asText()).isEqualTo("cmon:470 · 2025-01-02 03:04:08 UTC");
    }

    @Test
    void warningIsYellowAndUpdatedSendsNothing() throws Exception {
        AlarmEvent warning = TestEvents.event("9", AlarmEventStatus.CREATED, Severity.WARNING, "c1", List.of());
        notifier.notify(warning, integration());
        assertThat(JSON.readTree(server.requests().getFirst().body()).at("/attachments/0/color").asText()).isEqualTo("#ECB22E");

        DeliveryResult updated = notifier.notify(TestEvents.event("9", AlarmEventStatus.UPDATED), integration());

        assertThat(updated).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void theTestNotificationIsTheIntegrationServicesTestEvent() throws Exception {
        AlarmEvent event = TestEvents.testNotification(integration());

        assertThat(notifier.notify(event, integration())).isEqualTo(DeliveryResult.Delivered.INSTANCE);

        assertThat(notifier.resolvesTestEvents()).isFalse();
        JsonNode body = JSON.readTree(server.requests().getFirst().body());
        assertThat(body.get("text").asText()).isEqualTo("[WARNING] Tocsin test notification");
        assertThat(body.at("/attachments/0/color").asText()).isEqualTo("#ECB22E");
        assertThat(body.at("/attachments/0/blocks/0/text/text").asText()).isEqualTo("*Host:* tocsin\n"
                + "This is a test notification from Tocsin for the integration 'team-chat'. No action is needed.\n"
                + "*Recommendation:* None: this only checks that the integration reaches you.");
    }

    @Test
    void alarmTextIsEscapedSoItCannotMentionOrLink() throws Exception {
        AlarmEvent event = AlarmEvent.newBuilder(TestEvents.event("1", AlarmEventStatus.CREATED))
                .setTitle("<!channel> disk & <https://evil.example|click>").setHostname("a<b>c").build();

        notifier.notify(event, integration(server.url(HOOK_PATH), "https://x.example/a|b?k={alarmKey}&v=1"));

        JsonNode body = JSON.readTree(server.requests().getFirst().body());
        assertThat(body.get("text").asText()).isEqualTo("[CRITICAL] &lt;!channel&gt; disk &amp; &lt;https://evil.example|click&gt;");
        assertThat(body.at("/attachments/0/blocks/0/text/text").asText()).startsWith("*Host:* a&lt;b&gt;c\n");
        assertThat(body.at("/attachments/0/blocks/1/elements/0/text").asText())
                .isEqualTo("<https://x.example/a%7Cb?k=cmon%3A1&amp;v=1|Open the alarm>");
    }

    @Test
    void longTextIsCutByCharactersToTheSectionLimitNeverInsideAnEntity() throws Exception {
        String message = "😀&".repeat(3000);
        AlarmEvent event = AlarmEvent.newBuilder(TestEvents.event("1", AlarmEventStatus.CREATED))
                .setMessage(message).setTitle("t".repeat(600)).build();

        notifier.notify(event, integration());

        JsonNode body = JSON.readTree(server.requests().getFirst().body());
        String section = body.at("/attachments/0/blocks/0/text/text").asText();
        assertThat(section.codePointCount(0, section.length())).isLessThanOrEqualTo(SlackMessage.SECTION_LIMIT);
        assertThat(section).contains("…\n*Recommendation:* Restart failed node");
        String cutMessage = section.substring(section.indexOf("😀"), section.indexOf("…"));
        assertThat(cutMessage.replace("😀&amp;", "")).as("whole pairs only, no split entity or surrogate").isIn("", "😀");
        String text = body.get("text").asText();
        assertThat(text).endsWith("…").hasSize(SlackMessage.HEADLINE_LIMIT);
        assertThat(SlackMessage.cut("ab&amp;cd", 5)).isEqualTo("ab…");
        assertThat(SlackMessage.cut("ab&amp;cd", 8)).isEqualTo("ab&amp;…");
    }

    @Test
    void documentedErrorAnswersAreClassified() {
        assertClassified(new Response(429, Map.of("Retry-After", "7"), "rate_limited"),
                new DeliveryResult.Retryable(Failure.RATE_LIMITED, "Slack: HTTP 429 rate_limited", 429, Optional.of(Duration.ofSeconds(7))));
        assertClassified(Response.of(500, "rollup_error"),
                new DeliveryResult.Retryable(Failure.SERVER, "Slack: HTTP 500 rollup_error", 500, Optional.empty()));
        assertClassified(Response.status(503), new DeliveryResult.Retryable(Failure.SERVER, "Slack: HTTP 503", 503, Optional.empty()));
        assertClassified(Response.of(400, "invalid_payload"),
                new DeliveryResult.Permanent(Failure.CONFIG, "Slack: HTTP 400 invalid_payload (Slack refused the message as malformed)", 400));
        assertClassified(Response.of(400, "no_text"),
                new DeliveryResult.Permanent(Failure.CONFIG, "Slack: HTTP 400 no_text (Slack refused a message without text)", 400));
        assertClassified(Response.of(403, "invalid_token"),
                new DeliveryResult.Permanent(Failure.AUTH, "Slack: HTTP 403 invalid_token (the webhook URL's token is invalid)", 403));
        assertClassified(Response.of(403, "action_prohibited"), new DeliveryResult.Permanent(Failure.CONFIG,
                "Slack: HTTP 403 action_prohibited (a workspace admin restricted posting to the channel)", 403));
        assertClassified(Response.of(404, "no_service"), new DeliveryResult.Permanent(Failure.CONFIG,
                "Slack: HTTP 404 no_service (the webhook was removed or disabled: create a new one)", 404));
        assertClassified(Response.of(404, "channel_not_found"), new DeliveryResult.Permanent(Failure.CONFIG,
                "Slack: HTTP 404 channel_not_found (the webhook's channel no longer exists)", 404));
        assertClassified(Response.of(410, "channel_is_archived"), new DeliveryResult.Permanent(Failure.CONFIG,
                "Slack: HTTP 410 channel_is_archived (the webhook's channel is archived)", 410));
        assertClassified(Response.of(400, "something_new"), new DeliveryResult.Permanent(Failure.CLIENT, "Slack: HTTP 400 something_new", 400));
        assertClassified(Response.of(403, "<html>forbidden " + HOOK_PATH + "</html>"),
                new DeliveryResult.Permanent(Failure.AUTH, "Slack: HTTP 403", 403));
        assertClassified(new Response(302, Map.of("Location", "https://elsewhere.example/"), ""),
                new DeliveryResult.Permanent(Failure.CONFIG, "Slack: HTTP 302 (redirects are not followed)", 302));
    }

    private void assertClassified(Response answer, DeliveryResult expected) {
        server.thenAnswer(answer);
        assertThat(notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED), integration())).isEqualTo(expected);
    }

    @Test
    void noReasonNorValidationMessageContainsTheWebhookToken() throws Exception {
        List<DeliveryResult> results = new ArrayList<>();
        for (Response answer : List.of(Response.of(200, "ok"), Response.of(400, HOOK_PATH), Response.of(404, "no_service"),
                Response.of(429, "slow down " + HOOK_PATH), Response.of(500, HOOK_PATH), new Response(301, Map.of("Location", server.url(HOOK_PATH)), ""))) {
            server.thenAnswer(answer);
            results.add(notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED), integration()));
        }
        results.addAll(deliverToUnusableUrls(url -> integration(url, null), HOOK_PATH));

        assertThat(results).hasSize(9).allSatisfy(result -> assertThat(result.reason()).doesNotContain("SECRETTOKEN42"));
        assertThat(results.subList(7, 9)).allSatisfy(result -> assertThat(result)
                .isEqualTo(new DeliveryResult.Permanent(Failure.CONFIG, "Slack webhookUrl is not an http(s) URL")));
        assertThat(notifier.validate(Map.of("webhookUrl", "ftp://h" + HOOK_PATH))).singleElement()
                .satisfies(error -> assertThat(error.message()).doesNotContain("SECRETTOKEN42"));
    }

    @Test
    void validationNamesTheSetting() {
        Map<String, String> missing = new HashMap<>();
        missing.put("webhookUrl", null);
        assertThat(notifier.validate(missing)).extracting(FieldError::field).containsExactly("webhookUrl");
        assertThat(notifier.validate(Map.of("webhookUrl", "/services/T/B/x"))).extracting(FieldError::field).containsExactly("webhookUrl");
        assertThat(notifier.validate(Map.of("webhookUrl", "https://hooks.slack.com/services/T/B/x", "link", "alarms/{alarmKey}")))
                .extracting(FieldError::field).containsExactly("link");
        assertThat(notifier.validate(Map.of("webhookUrl", "https://hooks.slack.com/services/T/B/x",
                "link", "https://tocsin.example.org/alarms/{alarmKey}"))).isEmpty();
        assertThat(notifier.knows("webhookUrl")).isTrue();
        assertThat(notifier.knows("link")).isTrue();
        assertThat(notifier.knows("url")).isFalse();
        assertThat(notifier.secretSettings()).containsExactly("webhookUrl");
        assertThat(notifier.isSecret("link")).isFalse();
        assertThat(notifier.defaultRateLimit()).isEqualTo(new Notifier.RateLimit(1, 3));
    }

    @Test
    void deniedTargetsAreRefusedBeforeAnyRequest() {
        JsonHttpSender guarded = loopbackDeniedSender();
        try {
            DeliveryResult result = new SlackNotifier(guarded).notify(TestEvents.event("1", AlarmEventStatus.CREATED), integration());
            assertThat(result).isInstanceOfSatisfying(DeliveryResult.Permanent.class,
                    permanent -> assertThat(permanent.failure()).isEqualTo(Failure.CONFIG));
            assertThat(result.reason()).doesNotContain("SECRETTOKEN42");
            assertThat(server.requests()).isEmpty();
        } finally {
            guarded.close();
        }
    }
}
