package io.tocsin.dispatcher.channel.telegram;

import io.tocsin.dispatcher.channel.AlarmText;
import io.tocsin.dispatcher.channel.ServiceSettings;
import io.tocsin.dispatcher.channel.ServiceUrls;
import io.tocsin.dispatcher.channel.ServiceUrls.BaseRule;
import io.tocsin.schema.wire.FieldError;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of a Telegram integration and their validation: {@code botToken} (secret), {@code chatId},
 * {@code url} (replaces {@code https://api.telegram.org}) and {@code link}.
 *
 * <p>The token is placed in the request path ({@code /bot<token>/sendMessage}), so it is checked against the shape
 * BotFather issues ({@code <bot id>:<letters, digits, _ and ->}): a token with {@code /}, {@code ?} or {@code #}
 * would change which URL is called. Messages never repeat a setting's value.
 */
final class TelegramSettings {

    static final String BOT_TOKEN = "botToken";
    static final String CHAT_ID = "chatId";
    static final String URL = ServiceSettings.URL;
    static final String DEFAULT_URL = "https://api.telegram.org";
    static final Set<String> NAMES = Set.of(BOT_TOKEN, CHAT_ID, URL, AlarmText.LINK_SETTING);

    private static final Pattern TOKEN = Pattern.compile("[0-9]{1,20}:[A-Za-z0-9_-]{20,100}");
    // Chat ids are integers up to 52 bits (supergroups and channels: -100...), or a public channel's @username.
    private static final Pattern NUMERIC_CHAT = Pattern.compile("-?[0-9]{1,18}");
    private static final Pattern USERNAME_CHAT = Pattern.compile("@[A-Za-z][A-Za-z0-9_]{3,31}");

    private TelegramSettings() {
    }

    static List<FieldError> validate(Map<String, String> settings) {
        List<FieldError> errors = new ArrayList<>();
        String token = settings.get(BOT_TOKEN);
        if (token == null || token.isBlank()) {
            errors.add(new FieldError(BOT_TOKEN, "is required: the bot's token from @BotFather"));
        } else if (!TOKEN.matcher(token.strip()).matches()) {
            errors.add(new FieldError(BOT_TOKEN, "must look like <bot id>:<secret> as issued by @BotFather"));
        }
        String chat = settings.get(CHAT_ID);
        if (chat == null || chat.isBlank()) {
            errors.add(new FieldError(CHAT_ID, "is required: the chat's numeric id (e.g. -1001234567890) or @channelusername"));
        } else if (!isNumericChatId(chat.strip()) && !USERNAME_CHAT.matcher(chat.strip()).matches()) {
            errors.add(new FieldError(CHAT_ID, "must be a numeric chat id (e.g. -1001234567890) or @channelusername"));
        }
        String url = settings.get(URL);
        if (url != null && !url.isBlank() && baseUrl(url) == null) {
            errors.add(new FieldError(URL, "must be an absolute http:// or https:// URL with a host and no user, query nor fragment"));
        }
        return errors;
    }

    static boolean isNumericChatId(String chatId) {
        return NUMERIC_CHAT.matcher(chatId).matches();
    }

    /** The token when it has the shape BotFather issues, else null. */
    static String token(String value) {
        return value != null && TOKEN.matcher(value.strip()).matches() ? value.strip() : null;
    }

    /** The chat id when it is valid, else null. */
    static String chatId(String value) {
        if (value == null) {
            return null;
        }
        String chat = value.strip();
        return isNumericChatId(chat) || USERNAME_CHAT.matcher(chat).matches() ? chat : null;
    }

    /** {@code <base>/bot<token>/sendMessage}: the base URL's path kept (a proxy may serve the API under a prefix). */
    static URI sendMessageUri(String base, String token) {
        return URI.create(base + "/bot" + token + "/sendMessage");
    }

    /**
     * The API's base URL without trailing slashes when {@code url} is an absolute http(s) URL with a host and no
     * user, query nor fragment, else null.
     */
    static String baseUrl(String url) {
        return ServiceUrls.base(url, BaseRule.NO_USER_INFO);
    }
}
