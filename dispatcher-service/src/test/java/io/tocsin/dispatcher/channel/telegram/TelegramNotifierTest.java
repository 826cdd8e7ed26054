package io.tocsin.dispatcher.channel.telegram;

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
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link TelegramNotifier} sends, checked on a real HTTP server speaking the Bot API. */
class TelegramNotifierTest extends ChannelTest<TelegramNotifier> {

    static final String TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    static final String GROUP = "-1001234567890";
    /** The Bot API's answer to a sent message. */
    static final Response SENT = Response.json(200, "{\"ok\":true,\"result\":{\"message_id\":42,\"chat\":{\"id\":-1001234567890,"
            + "\"type\":\"supergroup\"},\"date\":1735787045,\"text\":\"x\"}}");
    private static final ObjectMapper JSON = new ObjectMapper();

    TelegramNotifierTest() {
        super(TelegramNotifier::new, SENT, Duration.ofSeconds(5));
    }

    static IntegrationConfig telegram(String url, String chatId, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(extra);
        settings.put("botToken", TOKEN);
        settings.put("chatId", chatId);
        settings.put("url", url);
        return IntegrationConfig.declared("chat", "telegram", settings);
    }

    private IntegrationConfig group() {
        return telegram(server.url(""), GROUP, Map.of());
    }

    @Test
    void createdPostsTheAlarmAsHtmlToSendMessage() {
        DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED), group());

        assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        RecordingReceiver.Request request = server.requests().getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.rawPath()).isEqualTo("/bot" + TOKEN + "/sendMessage");
        assertThat(request.query()).isNull();
        assertThat(request.headers()).containsEntry("content-type", "application/json").containsEntry("user-agent", "Tocsin/0.1");
        assertThat(request.body()).isEqualTo("{\"chat_id\":-1001234567890,"
                + "\"text\":\"<b>[CRITICAL] Server db1 reports: Disconnected</b>\\nHost: db1.example.org\\nCluster: prod-galera"
                + "\\nServer db1:3306 is disconnected.\\nRecommendation: Restart failed node\","
                + "\"parse_mode\":\"HTML\",\"link_preview_options\":{\"is_disabled\":true}}");
    }

    @Test
    void endedPostsAResolvedMessageToTheSameChat() throws Exception {
        notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED, Severity.WARNING, "prod-galera", List.of()), group());
        DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.ENDED, Severity.WARNING, "prod-galera", List.of()), group());

        assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        assertThat(server.requests()).hasSize(2);
        JsonNode created = JSON.readTree(server.requests().get(0).body());
        JsonNode ended = JSON.readTree(server.requests().get(1).body());
        assertThat(created.path("text").asText()).startsWith("<b>[WARNING] Server db1 reports: Disconnected</b>\n");
        assertThat(ended.path("text").asText()).startsWith("<b>[RESOLVED] Server db1 reports: Disconnected</b>\nHost: db1.example.org\n");
        assertThat(ended.path("chat_id").asLong()).isEqualTo(-1001234567890L);
        assertThat(server.requests().get(1).rawPath()).isEqualTo("/bot" + TOKEN + "/sendMessage");
    }

    @Test
    void theTestEventIsAnOrdinaryMessageThatSaysItIsATest() throws Exception {
        assertThat(notifier.notify(TestEvents.testNotification(group()), group())).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        assertThat(notifier.resolvesTestEvents()).isFalse();

        assertThat(JSON.readTree(server.requests().getFirst().body()).path("text").asText()).isEqualTo(
                "<b>[WARNING] Tocsin test notification</b>\nHost: tocsin\n"
                        + "This is a test notification from Tocsin for the integration 'chat'. No action is needed.\n"
                        + "Recommendation: None: this only checks that the integration reaches you.");
    }

    @Test
    void updatedSendsNothing() {
        DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.UPDATED), group());

        assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void escapesTheAlarmsTextAndAddsTheLink() throws Exception {
        AlarmEvent event = AlarmEvent.newBuilder(TestEvents.event("a&b", AlarmEventStatus.CREATED))
                .setTitle("Disk <sda> & <sdb>").setMessage("load > 5 & \"rising\"").build();

        notifier.notify(event, telegram(server.url(""), GROUP, Map.of("link", "https://tocsin.example.org/alarms/{alarmKey}?x=1&y=2")));

        assertThat(JSON.readTree(server.requests().getFirst().body()).path("text").asText()).isEqualTo(
                "<b>[CRITICAL] Disk &lt;sda&gt; &amp; &lt;sdb&gt;</b>\nHost: db1.example.org\nCluster: prod-galera\n"
                        + "load &gt; 5 &amp; \"rising\"\nRecommendation: Restart failed node\n"
                        + "https://tocsin.example.org/alarms/cmon%3Aa%26b?x=1&amp;y=2");
    }

    @Test
    void aChannelUsernameIsSentAsAStringAndAUrlPrefixIsKept() throws Exception {
        notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED), telegram(server.url("") + "/proxy/telegram/", "@tocsin_alarms", Map.of()));

        RecordingReceiver.Request request = server.requests().getFirst();
        assertThat(request.rawPath()).isEqualTo("/proxy/telegram/bot" + TOKEN + "/sendMessage");
        assertThat(JSON.readTree(request.body()).path("chat_id").isTextual()).isTrue();
        assertThat(JSON.readTree(request.body()).path("chat_id").asText()).isEqualTo("@tocsin_alarms");
    }

    @Test
    void aLongMessageIsCutToTelegramsLimitBeforeEscaping() throws Exception {
        AlarmEvent ampersands = AlarmEvent.newBuilder(TestEvents.event("1", AlarmEventStatus.CREATED)).setMessage("&".repeat(5000)).build();
        notifier.notify(ampersands, group());

        String text = JSON.readTree(server.requests().getFirst().body()).path("text").asText();
        String visible = text.replace("<b>", "").replace("</b>", "").replace("&amp;", "&");
        assertThat(visible).hasSize(4096).endsWith("&…");
        assertThat(text.replace("&amp;", "")).as("no entity is cut").doesNotContain("&");
    }

    @Test
    void emojiCountAsTwoUnitsAndAreNeverSplit() throws Exception {
        String emoji = "\uD83D\uDD25"; // U+1F525, two UTF-16 units
        AlarmEvent hot = AlarmEvent.newBuilder(TestEvents.event("1", AlarmEventStatus.CREATED)).setMessage(emoji.repeat(3000)).build();
        notifier.notify(hot, group());

        String visible = JSON.readTree(server.requests().getFirst().body()).path("text").asText().replace("<b>", "").replace("</b>", "");
        assertThat(visible.length()).isBetween(4095, 4096);
        assertThat(visible).endsWith(emoji + "…");
        assertThat(Character.isHighSurrogate(visible.charAt(visible.length() - 2))).isFalse();
    }

    @Test
    void deniedTargetsAreRefusedBeforeAnyConnection() {
        JsonHttpSender guarded = loopbackDeniedSender();
        try {
            DeliveryResult result = new TelegramNotifier(guarded).notify(TestEvents.event("1", AlarmEventStatus.CREATED), group());

            assertThat(result).isInstanceOf(DeliveryResult.Permanent.class);
            assertThat(((DeliveryResult.Permanent) result).failure()).isEqualTo(DeliveryResult.Failure.CONFIG);
            assertThat(result.reason()).contains("127.0.0.1").doesNotContain(TOKEN);
            assertThat(server.requests()).isEmpty();
        } finally {
            guarded.close();
        }
    }

    @Test
    void defaultsToTelegramsGroupLimitOfTwentyAMinute() {
        assertThat(notifier.defaultRateLimit()).isEqualTo(new Notifier.RateLimit(20.0 / 60, 1));
        assertThat(notifier.service()).isEqualTo("telegram");
    }
}
