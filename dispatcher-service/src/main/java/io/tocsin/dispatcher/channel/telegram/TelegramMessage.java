package io.tocsin.dispatcher.channel.telegram;

import io.tocsin.dispatcher.channel.AlarmText;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code sendMessage} parameters of one alarm event: its {@link AlarmText} in Telegram's HTML parse mode, the
 * headline in bold, within the 4096-character limit of a message.
 *
 * <p>Telegram counts the limit after entity parsing, i.e. on the visible text, not the markup
 * (<a href="https://core.telegram.org/bots/api#sendmessage">sendMessage</a>), and counts in UTF-16 code units.
 * So the plain text is cut first (by characters, never inside a surrogate pair, to at most 4096 UTF-16 units) and
 * escaped afterwards: escaping adds markup only, never visible characters, so a cut can never fall inside an entity
 * such as {@code &amp;}.
 */
final class TelegramMessage {

    /** Telegram's limit on a message's visible text. */
    static final int MAX_TEXT = 4096;

    private TelegramMessage() {
    }

    /**
     * The JSON body of {@code sendMessage}: {@code chat_id} (a JSON number when the setting is one, else the
     * {@code @channelusername} string), {@code text}, {@code parse_mode: HTML} and link previews disabled (an
     * alarm's link would otherwise unfurl into a large preview).
     */
    static Map<String, Object> body(String chatId, AlarmText text) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("chat_id", TelegramSettings.isNumericChatId(chatId) ? (Object) Long.parseLong(chatId) : chatId);
        body.put("text", html(text));
        body.put("parse_mode", "HTML");
        body.put("link_preview_options", Map.of("is_disabled", true));
        return body;
    }

    /** The message in HTML: the headline in {@code <b>}, every line escaped, the visible text at most 4096 units. */
    static String html(AlarmText text) {
        String plain = fit(text.render(line -> line, line -> line), MAX_TEXT);
        String headline = text.headline();
        if (plain.startsWith(headline)) {
            return "<b>" + escape(headline) + "</b>" + escape(plain.substring(headline.length()));
        }
        return "<b>" + escape(plain) + "</b>"; // the headline alone was over the limit
    }

    /**
     * Telegram HTML escaping (<a href="https://core.telegram.org/bots/api#html-style">HTML style</a>): {@code &},
     * {@code <} and {@code >} become entities, {@code &} first so no entity is escaped twice; quotes need none
     * outside attributes.
     */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * {@code text} cut by characters, like {@link AlarmText#truncate} (ending with "…", never inside a surrogate
     * pair), to at most {@code maxUnits} UTF-16 code units: a character outside the Basic Multilingual Plane (most
     * emoji) is two units, so the cut is found by walking the characters rather than by counting them.
     */
    static String fit(String text, int maxUnits) {
        if (text.length() <= maxUnits) {
            return text;
        }
        int end = 0;
        while (end < text.length()) {
            int width = Character.charCount(text.codePointAt(end));
            if (end + width > maxUnits - 1) { // one unit is kept for the ellipsis
                break;
            }
            end += width;
        }
        return text.substring(0, end) + "…";
    }
}
