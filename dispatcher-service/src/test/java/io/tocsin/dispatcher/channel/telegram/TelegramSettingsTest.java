package io.tocsin.dispatcher.channel.telegram;

import static io.tocsin.dispatcher.channel.telegram.TelegramNotifierTest.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.dispatcher.DispatcherSettings;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.delivery.OutboundTargets;
import io.tocsin.schema.wire.FieldError;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Validation of a Telegram integration's settings: each error names its setting and never repeats a value. */
class TelegramSettingsTest {

    private final JsonHttpSender sender = new JsonHttpSender(DispatcherSettings.defaults(), OutboundTargets.defaults());
    private final TelegramNotifier notifier = new TelegramNotifier(sender);

    @AfterEach
    void stop() {
        sender.close();
    }

    private static Map<String, String> settings(String token, String chatId, String url) {
        Map<String, String> settings = new HashMap<>();
        settings.put("botToken", token);
        settings.put("chatId", chatId);
        if (url != null) {
            settings.put("url", url);
        }
        return settings;
    }

    @Test
    void acceptsNumericIdsChannelNamesAndAnApiUrl() {
        assertThat(notifier.validate(settings(TOKEN, "-1001234567890", null))).isEmpty();
        assertThat(notifier.validate(settings(TOKEN, "123456789", "https://tg-proxy.example.org/telegram/"))).isEmpty();
        assertThat(notifier.validate(settings(" " + TOKEN + " ", "@tocsin_alarms", "http://127.0.0.1:8081"))).isEmpty();
    }

    @Test
    void requiresTheTokenAndTheChat() {
        assertThat(notifier.validate(settings(null, " ", null))).extracting(FieldError::field).containsExactly("botToken", "chatId");
    }

    @Test
    void refusesATokenThatWouldChangeTheUrlWithoutEchoingIt() {
        for (String token : new String[] {"123456789:AAHdqTcvCH1vGWJxfSeofSAs/../x", "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
                "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5?x=1", "123456789:short"}) {
            assertThat(notifier.validate(settings(token, "-100123", null))).singleElement().satisfies(error -> {
                assertThat(error.field()).isEqualTo("botToken");
                assertThat(error.message()).doesNotContain(token).doesNotContain("AAHdq");
            });
        }
    }

    @Test
    void refusesChatNamesAndMalformedUrls() {
        assertThat(notifier.validate(settings(TOKEN, "general", null))).extracting(FieldError::field).containsExactly("chatId");
        assertThat(notifier.validate(settings(TOKEN, "-100 123", null))).extracting(FieldError::field).containsExactly("chatId");
        for (String url : new String[] {"ftp://api.example.org", "api.telegram.org", "https://user:pw@api.example.org",
                "https://api.example.org/?x=1", "https://api.example.org/#x"}) {
            assertThat(notifier.validate(settings(TOKEN, "-100123", url))).extracting(FieldError::field).as(url).containsExactly("url");
        }
    }

    @Test
    void onlyTheTokenIsSecretAndUnknownSettingsAreNotKnown() {
        assertThat(notifier.secretSettings()).containsExactly("botToken");
        assertThat(notifier.isSecret("chatId")).isFalse();
        assertThat(notifier.knows("botToken")).isTrue();
        assertThat(notifier.knows("chatId")).isTrue();
        assertThat(notifier.knows("url")).isTrue();
        assertThat(notifier.knows("link")).isTrue();
        assertThat(notifier.knows("chat_id")).isFalse();
        assertThat(notifier.knows("parse_mode")).isFalse();
    }
}
