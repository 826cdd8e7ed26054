package io.tocsin.dispatcher.channel.discord;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tocsin.dispatcher.channel.AlarmText;
import io.tocsin.dispatcher.channel.JsonBodies;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.Severity;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON body of one Discord webhook message for an alarm event: one embed coloured by severity (title = the
 * headline, linked when the integration has a {@code link}; description = the message and, for CREATED, the
 * recommendation; inline fields Host and Cluster; footer = the alarm key; timestamp = the event time), and
 * {@code allowed_mentions: {"parse": []}} so nothing in an alarm can ever ping {@code @everyone}, a role or a user
 * (<a href="https://discord.com/developers/docs/resources/message#allowed-mentions-object">allowed mentions</a>).
 *
 * <p>Text that Discord renders as markdown (title, description, field values) goes through {@link #escape}; the
 * footer is plain text and is not escaped. Limits
 * (<a href="https://discord.com/developers/docs/resources/message#embed-object-embed-limits">embed limits</a>):
 * title 256, description 4096, field value 1024, footer 2048, all embed text 6000 characters; parts are cut by
 * characters ({@link AlarmText#truncate}) to caps that keep the whole embed under 6000, never between a backslash
 * and the character it escapes.
 */
final class DiscordMessage {

    static final int TITLE_LIMIT = 256;
    static final int DESCRIPTION_LIMIT = 4096;
    /** Field values and footer are capped well below Discord's limits so the embed stays under 6000 in total. */
    static final int FIELD_LIMIT = 256;
    static final int FOOTER_LIMIT = 256;
    static final int RECOMMENDATION_LIMIT = 1000;
    /** A longer link is left out rather than cut: a cut URL leads nowhere. */
    static final int LINK_LIMIT = 2000;

    static final int CRITICAL_COLOR = 0xE01E5A;
    static final int WARNING_COLOR = 0xECB22E;
    static final int RESOLVED_COLOR = 0x2EB67D;

    /** Markdown that works anywhere in a line: emphasis, code, spoilers, masked links, mentions, quotes, headings. */
    private static final Pattern INLINE = Pattern.compile("[\\\\*_~`|\\[\\]<>#]");
    /** Markdown that only works at the start of a line: lists ({@code - }, {@code + }, {@code 1. }). */
    private static final Pattern LINE_START = Pattern.compile("(?m)^(\\s*)([-+]|\\d+\\.)");


    private DiscordMessage() {
    }

    /** The message for a CREATED or ENDED event; {@code linkTemplate} may be null. */
    static ObjectNode of(AlarmEvent event, String linkTemplate) {
        AlarmText text = AlarmText.of(event, linkTemplate);
        boolean ended = event.getStatus() == AlarmEventStatus.ENDED;
        ObjectNode body = JsonBodies.object();
        ObjectNode embed = body.putArray("embeds").addObject();
        embed.put("title", cut(escape(text.headline()), TITLE_LIMIT));
        if (!text.link().isEmpty() && text.link().length() <= LINK_LIMIT) {
            embed.put("url", text.link());
        }
        // A resolved alarm needs no action: its recommendation would only mislead.
        String description = description(text.message(), ended ? "" : text.recommendation());
        if (!description.isEmpty()) {
            embed.put("description", description);
        }
        embed.put("color", ended ? RESOLVED_COLOR : event.getSeverity() == Severity.CRITICAL ? CRITICAL_COLOR : WARNING_COLOR);
        ArrayNode fields = embed.putArray("fields");
        field(fields, "Host", text.host());
        field(fields, "Cluster", text.cluster());
        if (fields.isEmpty()) {
            embed.remove("fields");
        }
        embed.putObject("footer").put("text", AlarmText.truncate(event.getAlarmKey(), FOOTER_LIMIT));
        embed.put("timestamp", event.getEventTime().toString());
        body.putObject("allowed_mentions").putArray("parse");
        return body;
    }

    private static String description(String message, String recommendation) {
        String advice = recommendation.isEmpty() ? "" : "**Recommendation:** " + cut(escape(recommendation), RECOMMENDATION_LIMIT);
        if (message.isEmpty()) {
            return advice;
        }
        int room = DESCRIPTION_LIMIT - (advice.isEmpty() ? 0 : advice.codePointCount(0, advice.length()) + 2);
        String cutMessage = cut(escape(message), room);
        return advice.isEmpty() ? cutMessage : cutMessage + "\n\n" + advice;
    }

    private static void field(ArrayNode fields, String name, String value) {
        if (!value.isEmpty()) {
            fields.addObject().put("name", name).put("value", cut(escape(value), FIELD_LIMIT)).put("inline", true);
        }
    }

    /**
     * Discord markdown escaping: a backslash before every character that can start markdown anywhere in a line,
     * and before list markers at a line's start. Discord drops a backslash before any punctuation, so escaped
     * text reads the same as the original.
     */
    static String escape(String text) {
        String inline = INLINE.matcher(text).replaceAll(match -> Matcher.quoteReplacement("\\" + match.group()));
        return LINE_START.matcher(inline).replaceAll(match -> Matcher.quoteReplacement(match.group(1) + escapeMarker(match.group(2))));
    }

    private static String escapeMarker(String marker) {
        return marker.endsWith(".") ? marker.substring(0, marker.length() - 1) + "\\." : "\\" + marker;
    }

    /**
     * {@code escaped} cut to {@code maxChars} characters by {@link AlarmText#truncate}, never leaving a lone
     * backslash before the ellipsis (it would escape the ellipsis instead of the character that was cut off).
     */
    static String cut(String escaped, int maxChars) {
        String cut = AlarmText.truncate(escaped, maxChars);
        if (cut.equals(escaped)) {
            return cut;
        }
        String kept = cut.substring(0, cut.length() - 1);
        int backslashes = 0;
        while (backslashes < kept.length() && kept.charAt(kept.length() - 1 - backslashes) == '\\') {
            backslashes++;
        }
        return (backslashes % 2 == 1 ? kept.substring(0, kept.length() - 1) : kept) + "…";
    }

}
