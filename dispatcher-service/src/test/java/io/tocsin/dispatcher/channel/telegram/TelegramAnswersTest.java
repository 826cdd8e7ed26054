package io.tocsin.dispatcher.channel.telegram;

import static io.tocsin.dispatcher.channel.telegram.TelegramNotifierTest.GROUP;
import static io.tocsin.dispatcher.channel.telegram.TelegramNotifierTest.TOKEN;
import static io.tocsin.dispatcher.channel.telegram.TelegramNotifierTest.telegram;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.DeliveryResult.Permanent;
import io.tocsin.dispatcher.delivery.DeliveryResult.Retryable;
import io.tocsin.dispatcher.testing.ChannelTest;
import io.tocsin.dispatcher.testing.RecordingReceiver.Response;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEventStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How each documented Bot API answer is classified, and that no reason carries the bot token. */
class TelegramAnswersTest extends ChannelTest<TelegramNotifier> {

    TelegramAnswersTest() {
        super(TelegramNotifier::new, TelegramNotifierTest.SENT);
    }

    private DeliveryResult answeredWith(Response answer) {
        server.thenAnswer(answer);
        return notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED), telegram(server.url(""), GROUP, Map.of()));
    }

    private static Response error(int code, String description, String parameters) {
        return Response.json(code, "{\"ok\":false,\"error_code\":" + code + ",\"description\":\"" + description + "\""
                + (parameters == null ? "" : ",\"parameters\":" + parameters) + "}");
    }

    @Test
    void chatNotFoundIsAConfigurationError() {
        assertThat(answeredWith(error(400, "Bad Request: chat not found", null))).isEqualTo(new Permanent(Failure.CONFIG,
                "HTTP 400: Bad Request: chat not found (check chatId and that the bot is in the chat)", 400));
    }

    @Test
    void aGroupUpgradedToASupergroupNamesTheNewChatId() {
        DeliveryResult result = answeredWith(error(400, "Bad Request: group chat was upgraded to a supergroup chat",
                "{\"migrate_to_chat_id\":-1009876543210}"));

        assertThat(result).isEqualTo(new Permanent(Failure.CONFIG, "HTTP 400: Bad Request: group chat was upgraded to a supergroup chat;"
                + " the group is now the supergroup -1009876543210: set chatId to that id", 400));
        assertThat(server.requests()).as("not resent to the new chat behind the operator's back").hasSize(1);
    }

    @Test
    void otherBadRequestsArePermanentClientErrors() {
        assertThat(answeredWith(error(400, "Bad Request: can't parse entities: Unsupported start tag \\\"x\\\"", null)))
                .isEqualTo(new Permanent(Failure.CLIENT, "HTTP 400: Bad Request: can't parse entities: Unsupported start tag \"x\"", 400));
    }

    @Test
    void aRefusedTokenOrABlockedBotIsAnAuthFailure() {
        assertThat(answeredWith(error(401, "Unauthorized", null))).isEqualTo(new Permanent(Failure.AUTH, "HTTP 401: Unauthorized", 401));
        assertThat(answeredWith(error(403, "Forbidden: bot was blocked by the user", null)))
                .isEqualTo(new Permanent(Failure.AUTH, "HTTP 403: Forbidden: bot was blocked by the user", 403));
        assertThat(answeredWith(error(404, "Not Found", null))).isEqualTo(new Permanent(Failure.CLIENT, "HTTP 404: Not Found", 404));
    }

    @Test
    void floodControlWaitsForRetryAfterFromTheBody() {
        assertThat(answeredWith(error(429, "Too Many Requests: retry after 7", "{\"retry_after\":7}")))
                .isEqualTo(new Retryable(Failure.RATE_LIMITED, "HTTP 429: Too Many Requests: retry after 7", 429, Optional.of(Duration.ofSeconds(7))));
    }

    @Test
    void floodControlWithoutParametersFallsBackToTheRetryAfterHeader() {
        assertThat(answeredWith(new Response(429, Map.of("Retry-After", "3"), "{\"ok\":false,\"error_code\":429}")))
                .isEqualTo(new Retryable(Failure.RATE_LIMITED, "HTTP 429", 429, Optional.of(Duration.ofSeconds(3))));
        assertThat(answeredWith(Response.json(429, "")))
                .isEqualTo(new Retryable(Failure.RATE_LIMITED, "HTTP 429", 429, Optional.empty()));
    }

    @Test
    void serverErrorsAreRetryableWithOrWithoutAJsonBody() {
        assertThat(answeredWith(error(502, "Bad Gateway", null))).isEqualTo(new Retryable(Failure.SERVER, "HTTP 502: Bad Gateway", 502, Optional.empty()));
        assertThat(answeredWith(Response.json(500, "<html>oops</html>"))).isEqualTo(new Retryable(Failure.SERVER, "HTTP 500", 500, Optional.empty()));
    }

    @Test
    void aSuccessStatusWhoseBodySaysFailureIsNotDelivered() {
        assertThat(answeredWith(Response.json(200, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: message is too long\"}")))
                .isEqualTo(new Permanent(Failure.CLIENT, "HTTP 400: Bad Request: message is too long", 400));
        assertThat(answeredWith(Response.json(200, "{\"ok\":false,\"error_code\":200}")))
                .isEqualTo(new Permanent(Failure.CLIENT, "HTTP 200 (ok:false)", 200));
    }

    @Test
    void aSuccessStatusWithoutAJsonBodyIsDelivered() {
        assertThat(answeredWith(Response.json(200, "sent"))).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        assertThat(answeredWith(TelegramNotifierTest.SENT)).isEqualTo(DeliveryResult.Delivered.INSTANCE);
    }

    @Test
    void aRefusedConnectionIsRetryable() throws Exception {
        int port = freePort();
        DeliveryResult result = notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED), telegram("http://127.0.0.1:" + port, GROUP, Map.of()));

        assertThat(result).isInstanceOf(Retryable.class);
        assertThat(((Retryable) result).failure()).isEqualTo(Failure.CONNECT);
        assertThat(result.reason()).startsWith("connection failed: ").doesNotContain(TOKEN);
    }

    @Test
    void noReasonEverContainsTheBotToken() throws Exception {
        String secretHalf = TOKEN.substring(TOKEN.indexOf(':') + 1);
        List<DeliveryResult> results = new ArrayList<>();
        for (int status : new int[] {200, 302, 400, 401, 403, 404, 429, 500, 502}) {
            results.add(answeredWith(error(status, "echo " + TOKEN + " and " + secretHalf + " at /bot" + TOKEN + "/sendMessage", "{\"retry_after\":1}")));
        }
        results.add(answeredWith(Response.json(400, "<html>" + TOKEN + "</html>")));
        results.add(notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED), telegram("ftp://127.0.0.1", GROUP, Map.of())));
        int port = freePort();
        results.add(notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED), telegram("http://127.0.0.1:" + port, GROUP, Map.of())));

        assertThat(results).hasSize(12).allSatisfy(result -> assertThat(result.reason()).doesNotContain(secretHalf));
        assertThat(results.getFirst()).isInstanceOf(Permanent.class);
        assertThat(results.get(1).reason()).contains("[bot token]");
        assertThat(results.get(10)).isEqualTo(new Permanent(Failure.CONFIG, "telegram botToken, chatId or url is missing or malformed"));
    }
}
