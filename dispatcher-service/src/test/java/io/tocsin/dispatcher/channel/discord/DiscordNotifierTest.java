package io.tocsin.dispatcher.channel.discord;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
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
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DiscordNotifierTest extends ChannelTest<DiscordNotifier> {

    private static final String HOOK_PATH = "/api/webhooks/1234567890/SECRETTOKEN42";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Response MESSAGE = Response.json(200,
            "{\"id\":\"1300000000000000001\",\"type\":0,\"channel_id\":\"1200000000000000001\",\"webhook_id\":\"1234567890\"}");

    DiscordNotifierTest() {
        super(DiscordNotifier::new, MESSAGE, Duration.ofSeconds(5));
    }

    private IntegrationConfig integration(String webhookUrl, String link) {
        return TestEvents.integration("ops-discord", "discord", "webhookUrl", webhookUrl, "link", link);
    }

    private IntegrationConfig integration() {
        return integration(server.url(HOOK_PATH), null);
    }

    private JsonNode embed() throws Exception {
        return JSON.readTree(server.requests().getLast().body()).get("embeds").get(0);
    }

    @Test
    void createdPostsTheExactEmbedWaitingForConfirmation() {
        DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED),
                integration(server.url(HOOK_PATH), "https://tocsin.example.org/alarms/{alarmKey}"));

        assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        RecordingReceiver.Request request = server.requests().getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo(HOOK_PATH);
        assertThat(request.query()).isEqualTo("wait=true");
        assertThat(request.headers()).containsEntry("content-type", "application/json").containsEntry("user-agent", "Tocsin/0.1");
        assertThat(request.body()).isEqualTo("{\"embeds\":[{\"title\":\"\\\\[CRITICAL\\\\] Server db1 reports: Disconnected\","
                + "\"url\":\"https://tocsin.example.org/alarms/cmon%3A470\","
                + "\"description\":\"Server db1:3306 is disconnected.\\n\\n**Recommendation:** Restart failed node\","
                + "\"color\":14687834,\"fields\":[{\"name\":\"Host\",\"value\":\"db1.example.org\",\"inline\":true},"
                + "{\"name\":\"Cluster\",\"value\":\"prod-galera\",\"inline\":true}],"
                + "\"footer\":{\"text\":\"cmon:470\"},\"timestamp\":\"2025-01-02T03:04:06Z\"}],"
                + "\"allowed_mentions\":{\"parse\":[]}}");
    }

    @Test
    void endedPostsAGreenResolvedEmbedAndA204CountsAsDelivered() throws Exception {
        server.thenAnswer(Response.status(204));

        DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.ENDED), integration());

        assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        JsonNode embed = embed();
        assertThat(embed.get("title").asText()).isEqualTo("\\[RESOLVED\\] Server db1 reports: Disconnected");
        assertThat(embed.get("color").asInt()).isEqualTo(0x2EB67D);
        assertThat(embed.get("description").asText()).isEqualTo("Server db1:3306 is disconnected.");
        assertThat(embed.has("url")).isFalse();
        assertThat(embed.get("timestamp").asText()).isEqualTo("2025-01-02T03:04:08Z");
        assertThat(embed.at("/footer/text").asText()).isEqualTo("cmon:470");
    }

    @Test
    void warningIsYellowAndUpdatedSendsNothing() throws Exception {
        notifier.notify(TestEvents.event("9", AlarmEventStatus.CREATED, Severity.WARNING, "c1", List.of()), integration());
        assertThat(embed().get("color").asInt()).isEqualTo(0xECB22E);

        assertThat(notifier.notify(TestEvents.event("9", AlarmEventStatus.UPDATED), integration())).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void theTestNotificationIsTheIntegrationServicesTestEvent() throws Exception {
        AlarmEvent event = TestEvents.testNotification(integration());

        assertThat(notifier.notify(event, integration())).isEqualTo(DeliveryResult.Delivered.INSTANCE);

        assertThat(notifier.resolvesTestEvents()).isFalse();
        JsonNode embed = embed();
        assertThat(embed.get("title").asText()).isEqualTo("\\[WARNING\\] Tocsin test notification");
        assertThat(embed.get("description").asText()).isEqualTo("This is a test notification from Tocsin for the integration "
                + "'ops-discord'. No action is needed.\n\n**Recommendation:** None: this only checks that the integration reaches you.");
        assertThat(embed.get("fields")).hasSize(1);
        assertThat(embed.at("/fields/0/value").asText()).isEqualTo("tocsin");
        assertThat(embed.at("/footer/text").asText()).startsWith("tocsin:test-");
    }

    @Test
    void markdownIsEscapedAndMentionsAreNeverParsed() throws Exception {
        AlarmEvent event = AlarmEvent.newBuilder(TestEvents.event("1", AlarmEventStatus.CREATED))
                .setTitle("@everyone **disk** <@&42> [x](https://evil.example) a_b ~~c~~ `d` ||e||")
                .setMessage("- item\n  + sub\n12. twelfth\n# heading\n> quote\nC:\\path").build();

        notifier.notify(event, integration());

        JsonNode body = JSON.readTree(server.requests().getFirst().body());
        assertThat(body.get("allowed_mentions").toString()).isEqualTo("{\"parse\":[]}");
        JsonNode embed = body.get("embeds").get(0);
        assertThat(embed.get("title").asText()).isEqualTo(
                "\\[CRITICAL\\] @everyone \\*\\*disk\\*\\* \\<@&42\\> \\[x\\](https://evil.example) a\\_b \\~\\~c\\~\\~ \\`d\\` \\|\\|e\\|\\|");
        assertThat(embed.get("description").asText()).startsWith(
                "\\- item\n  \\+ sub\n12\\. twelfth\n\\# heading\n\\> quote\nC:\\\\path\n\n**Recommendation:** ");
    }

    @Test
    void longTextIsCutByCharactersToTheEmbedLimits() throws Exception {
        AlarmEvent event = AlarmEvent.newBuilder(TestEvents.event("1", AlarmEventStatus.CREATED))
                .setTitle("😀".repeat(400)).setMessage("*a".repeat(6000)).setHostname("h".repeat(2000))
                .setCluster("c".repeat(2000)).setRecommendation("r".repeat(3000)).build();

        notifier.notify(event, integration());

        JsonNode embed = embed();
        String title = embed.get("title").asText();
        String description = embed.get("description").asText();
        assertThat(codePoints(title)).isEqualTo(DiscordMessage.TITLE_LIMIT);
        assertThat(title).startsWith("\\[CRITICAL\\] 😀").endsWith("😀…");
        assertThat(codePoints(description)).isLessThanOrEqualTo(DiscordMessage.DESCRIPTION_LIMIT);
        assertThat(description).matches("(?s)(\\\\\\*a)+(\\\\\\*)?…\n\n\\*\\*Recommendation:\\*\\* r{999}…");
        assertThat(embed.at("/fields/0/value").asText()).hasSize(DiscordMessage.FIELD_LIMIT).endsWith("h…");
        int total = codePoints(title) + codePoints(description) + codePoints(embed.at("/footer/text").asText())
                + codePoints("Host") + codePoints("Cluster") + codePoints(embed.at("/fields/0/value").asText())
                + codePoints(embed.at("/fields/1/value").asText());
        assertThat(total).as("all embed text").isLessThanOrEqualTo(6000);
        assertThat(DiscordMessage.cut("ab\\*cd", 4)).as("no lone backslash before the ellipsis").isEqualTo("ab…");
        assertThat(DiscordMessage.cut("ab\\\\cd", 5)).isEqualTo("ab\\\\…");
    }

    private static int codePoints(String text) {
        return text.codePointCount(0, text.length());
    }

    @Test
    void keepsAThreadIdAndAnExplicitWait() {
        assertThat(DiscordNotifier.waiting(URI.create("https://discord.com/api/webhooks/1/t?thread_id=99")))
                .isEqualTo(URI.create("https://discord.com/api/webhooks/1/t?thread_id=99&wait=true"));
        assertThat(DiscordNotifier.waiting(URI.create("https://discord.com/api/webhooks/1/t?wait=false#x")))
                .isEqualTo(URI.create("https://discord.com/api/webhooks/1/t?wait=false"));

        notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED), integration(server.url(HOOK_PATH + "?thread_id=99"), null));

        assertThat(server.requests().getFirst().query()).isEqualTo("thread_id=99&wait=true");
    }

    @Test
    void documentedErrorAnswersAreClassified() {
        assertClassified(new Response(429, Map.of("X-RateLimit-Scope", "user", "Retry-After", "2"),
                        "{\"message\":\"You are being rate limited.\",\"retry_after\":1.2341,\"global\":false}"),
                new DeliveryResult.Retryable(Failure.RATE_LIMITED, "Discord: HTTP 429 (user rate limit)", 429, Optional.of(Duration.ofMillis(1235))));
        assertClassified(Response.of(429, "{\"message\":\"You are being rate limited.\",\"retry_after\":64.57,\"global\":true}"),
                new DeliveryResult.Retryable(Failure.RATE_LIMITED, "Discord: HTTP 429 (global rate limit)", 429, Optional.of(Duration.ofMillis(64570))));
        assertClassified(new Response(429, Map.of("Retry-After", "3"), "<html>slow down</html>"),
                new DeliveryResult.Retryable(Failure.RATE_LIMITED, "Discord: HTTP 429", 429, Optional.of(Duration.ofSeconds(3))));
        assertClassified(new Response(429, Map.of("X-RateLimit-Reset-After", "0.5", "X-RateLimit-Scope", "shared"), ""),
                new DeliveryResult.Retryable(Failure.RATE_LIMITED, "Discord: HTTP 429 (shared rate limit)", 429, Optional.of(Duration.ofMillis(500))));
        assertClassified(Response.of(500, "{\"message\":\"500: Internal Server Error\",\"code\":0}"),
                new DeliveryResult.Retryable(Failure.SERVER, "Discord: HTTP 500 code 0", 500, Optional.empty()));
        assertClassified(Response.of(502, "<html>Bad Gateway</html>"), new DeliveryResult.Retryable(Failure.SERVER, "Discord: HTTP 502", 502, Optional.empty()));
        assertClassified(Response.of(404, "{\"message\":\"Unknown Webhook\",\"code\":10015}"), new DeliveryResult.Permanent(Failure.CONFIG,
                "Discord: HTTP 404 code 10015 (the webhook was deleted: create a new one)", 404));
        assertClassified(Response.status(404), new DeliveryResult.Permanent(Failure.CONFIG, "Discord: HTTP 404 (the webhook was deleted: create a new one)", 404));
        assertClassified(Response.of(401, "{\"message\":\"Invalid Webhook Token\",\"code\":50027}"),
                new DeliveryResult.Permanent(Failure.AUTH, "Discord: HTTP 401 code 50027 (the webhook URL's token is invalid)", 401));
        assertClassified(Response.of(403, "{\"message\":\"Missing Permissions\",\"code\":50013}"),
                new DeliveryResult.Permanent(Failure.AUTH, "Discord: HTTP 403 code 50013 (the webhook may not post in its channel)", 403));
        assertClassified(Response.of(400, "{\"message\":\"Invalid Form Body\",\"code\":50035,\"errors\":{}}"), new DeliveryResult.Permanent(
                Failure.CONFIG, "Discord: HTTP 400 code 50035 (Discord refused the message's fields: check the link setting)", 400));
        assertClassified(Response.of(400, "{\"message\":\"Webhooks posted to forum channels must have a thread_name or thread_id\",\"code\":220001}"),
                new DeliveryResult.Permanent(Failure.CONFIG,
                        "Discord: HTTP 400 code 220001 (the webhook posts to a forum channel: add ?thread_id=<thread> to webhookUrl)", 400));
        assertClassified(Response.of(413, "{\"message\":\"Request entity too large\",\"code\":40005}"), new DeliveryResult.Permanent(
                Failure.CONFIG, "Discord: HTTP 413 code 40005 (Discord refused the message as too large)", 413));
        assertClassified(Response.of(400, "{\"message\":\"Something new\",\"code\":12345}"),
                new DeliveryResult.Permanent(Failure.CLIENT, "Discord: HTTP 400 code 12345", 400));
    }

    private void assertClassified(Response answer, DeliveryResult expected) {
        server.thenAnswer(answer);
        assertThat(notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED), integration())).isEqualTo(expected);
    }

    @Test
    void noReasonNorValidationMessageContainsTheWebhookToken() throws Exception {
        List<DeliveryResult> results = new ArrayList<>();
        String echo = "{\"message\":\"" + HOOK_PATH + "\",\"code\":10015}";
        for (Response answer : List.of(MESSAGE, Response.of(400, echo), Response.of(404, echo), Response.of(429, echo), Response.of(500, echo),
                new Response(301, Map.of("Location", server.url(HOOK_PATH)), ""))) {
            server.thenAnswer(answer);
            results.add(notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED), integration()));
        }
        results.addAll(deliverToUnusableUrls(url -> integration(url, null), HOOK_PATH));

        assertThat(results).hasSize(9).allSatisfy(result -> assertThat(result.reason()).doesNotContain("SECRETTOKEN42"));
        assertThat(results.subList(7, 9)).allSatisfy(result -> assertThat(result)
                .isEqualTo(new DeliveryResult.Permanent(Failure.CONFIG, "Discord webhookUrl is not an http(s) URL")));
        assertThat(notifier.validate(Map.of("webhookUrl", "ftp://h" + HOOK_PATH))).singleElement()
                .satisfies(error -> assertThat(error.message()).doesNotContain("SECRETTOKEN42"));
    }

    @Test
    void validationNamesTheSetting() {
        Map<String, String> missing = new HashMap<>();
        missing.put("webhookUrl", "");
        assertThat(notifier.validate(missing)).extracting(FieldError::field).containsExactly("webhookUrl");
        assertThat(notifier.validate(Map.of("webhookUrl", "discord.com/api/webhooks/1/t"))).extracting(FieldError::field).containsExactly("webhookUrl");
        assertThat(notifier.validate(Map.of("webhookUrl", "https://discord.com/api/webhooks/1/t", "link", "ftp://x/{alarmKey}")))
                .extracting(FieldError::field).containsExactly("link");
        assertThat(notifier.validate(Map.of("webhookUrl", "https://discord.com/api/webhooks/1/t?thread_id=5",
                "link", "https://tocsin.example.org/alarms/{alarmKey}"))).isEmpty();
        assertThat(notifier.knows("webhookUrl")).isTrue();
        assertThat(notifier.knows("link")).isTrue();
        assertThat(notifier.knows("url")).isFalse();
        assertThat(notifier.secretSettings()).containsExactly("webhookUrl");
        assertThat(notifier.isSecret("link")).isFalse();
        assertThat(notifier.defaultRateLimit()).isEqualTo(new Notifier.RateLimit(0.5, 5));
    }
}
