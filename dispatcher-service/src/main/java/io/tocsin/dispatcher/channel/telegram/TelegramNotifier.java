package io.tocsin.dispatcher.channel.telegram;

import io.tocsin.dispatcher.channel.AlarmText;
import io.tocsin.dispatcher.channel.JsonBodies;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.wire.FieldError;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Posts alarm events to a Telegram chat through the Bot API's
 * <a href="https://core.telegram.org/bots/api#sendmessage">sendMessage</a>: {@code POST
 * <url>/bot<botToken>/sendMessage} with a JSON body ({@link TelegramMessage}). CREATED posts the alarm,
 * ENDED posts a {@code [RESOLVED]} message; UPDATED posts nothing (a chat has no incident to update) and counts as
 * delivered. The test event is an ordinary message that says it is a test.
 *
 * <p>Error contract: as {@link Notifier}; answers are classified by {@link TelegramAnswer}. The bot token is part
 * of the request path, so neither the URL nor the token ever appears in a reason, a validation message or a log
 * line (this channel logs nothing).
 */
@Singleton
public class TelegramNotifier implements Notifier {

    public static final String SERVICE = "telegram";

    private final JsonHttpSender sender;

    public TelegramNotifier(JsonHttpSender sender) {
        this.sender = sender;
    }

    @Override
    public String service() {
        return SERVICE;
    }

    /** The bot token: whoever holds it controls the bot. */
    @Override
    public Set<String> secretSettings() {
        return Set.of(TelegramSettings.BOT_TOKEN);
    }

    @Override
    public boolean knows(String setting) {
        return TelegramSettings.NAMES.contains(setting);
    }

    @Override
    public List<FieldError> validate(Map<String, String> settings) {
        return TelegramSettings.validate(settings);
    }

    /**
     * 20 messages a minute, one at a time: Telegram's limit for a group, the usual target of an alarm integration
     * (<a href="https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this">Bot FAQ</a>:
     * at most 20 messages per minute to the same group, about one per second to a private chat, 30 per second per
     * bot overall). The per-bot limit spans integrations and is left to Telegram's 429 with {@code retry_after}.
     */
    @Override
    public RateLimit defaultRateLimit() {
        return new RateLimit(20.0 / 60, 1);
    }

    @Override
    public DeliveryResult notify(AlarmEvent event, IntegrationConfig integration) {
        if (event.getStatus() == AlarmEventStatus.UPDATED) {
            return DeliveryResult.Delivered.INSTANCE; // nothing to update in a chat; only the engine's filters send it
        }
        String token = TelegramSettings.token(integration.setting(TelegramSettings.BOT_TOKEN));
        String chatId = TelegramSettings.chatId(integration.setting(TelegramSettings.CHAT_ID));
        String base = TelegramSettings.baseUrl(integration.setting(TelegramSettings.URL, TelegramSettings.DEFAULT_URL));
        if (token == null || chatId == null || base == null) {
            return new DeliveryResult.Permanent(Failure.CONFIG, "telegram botToken, chatId or url is missing or malformed");
        }
        AlarmText text = AlarmText.of(event, integration.setting(AlarmText.LINK_SETTING));
        byte[] body = JsonBodies.bytes(TelegramMessage.body(chatId, text));
        return TelegramAnswer.classify(sender.exchange("POST", TelegramSettings.sendMessageUri(base, token), body, Map.of()), token);
    }
}
