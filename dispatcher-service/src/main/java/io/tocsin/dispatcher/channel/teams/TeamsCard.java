package io.tocsin.dispatcher.channel.teams;

import io.tocsin.dispatcher.channel.AlarmText;
import io.tocsin.dispatcher.channel.JsonBodies;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.Severity;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The request body a Teams Workflows webhook ("When a Teams webhook request is received") accepts: a message
 * envelope with one Adaptive Card attachment
 * (<a href="https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using">
 * Microsoft: create Incoming Webhooks with Workflows</a>). The card: the headline in bold, coloured by state
 * ({@code Attention} critical, {@code Warning} warning, {@code Good} resolved), a fact set with host and cluster,
 * the message, the recommendation, and an "Open" action for the {@code link} setting.
 *
 * <p>Teams refuses messages over 28 KB, and a refusal only shows in the flow's run history (the webhook already
 * answered 202). So the whole JSON body is kept within {@value #MAX_BYTES} bytes: the longest text is cut (by
 * characters, before escaping, so no escape is split) until it fits.
 */
final class TeamsCard {

    /** Teams' 28 KB message limit, measured conservatively on the whole request body in UTF-8 bytes. */
    static final int MAX_BYTES = 28_000;

    private static final int ELLIPSIS_BYTES = 3; // "…" in UTF-8
    // Adaptive Card text is a Markdown subset (bold, italic, lists, links): these characters would start one.
    private static final Pattern INLINE = Pattern.compile("[\\\\*_~`\\[\\]]");
    // At the start of a line, "- " and "+ " start a list, and so does "1. ".
    private static final Pattern BULLET = Pattern.compile("(?m)^([ \\t]*)([-+])(?=[ \\t])");
    private static final Pattern NUMBERED = Pattern.compile("(?m)^([ \\t]*\\d+)\\.(?=[ \\t])");

    private TeamsCard() {
    }

    /** The body as UTF-8 JSON, at most {@link #MAX_BYTES} bytes long (unless even a card of one-character texts is not). */
    static byte[] body(AlarmEvent event, AlarmText text) {
        AlarmText fitted = text;
        byte[] body = JsonBodies.bytes(envelope(event, fitted));
        for (int round = 0; body.length > MAX_BYTES && round < 20; round++) {
            fitted = shortened(fitted, body.length - MAX_BYTES);
            body = JsonBodies.bytes(envelope(event, fitted));
        }
        return body;
    }

    /**
     * {@code text} with its longest part cut by about {@code excessBytes} bytes, using the part's own bytes per
     * character as sent (escaped, in JSON, where Jackson writes an emoji as two {@code \\u} escapes, 12 bytes), so
     * the cut neither leaves a card far below the limit nor needs many rounds.
     */
    static AlarmText shortened(AlarmText text, int excessBytes) {
        String[] parts = {text.headline(), text.host(), text.cluster(), text.message(), text.recommendation()};
        int longest = 0;
        for (int i = 1; i < parts.length; i++) {
            if (length(parts[i]) > length(parts[longest])) {
                longest = i;
            }
        }
        int chars = length(parts[longest]);
        int sentBytes = JsonBodies.bytes(escape(parts[longest])).length - 2; // without the quotes
        double bytesPerChar = Math.max(1.0, sentBytes / (double) Math.max(1, chars));
        int cut = (int) Math.ceil((excessBytes + ELLIPSIS_BYTES) / bytesPerChar);
        parts[longest] = AlarmText.truncate(parts[longest], Math.max(1, chars - cut));
        return new AlarmText(parts[0], parts[1], parts[2], parts[3], parts[4], text.link());
    }

    static Map<String, Object> envelope(AlarmEvent event, AlarmText text) {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        card.put("body", elements(event, text));
        URI link = httpLink(text.link());
        if (link != null) {
            card.put("actions", List.of(ordered("type", "Action.OpenUrl", "title", "Open", "url", link.toString())));
        }
        card.put("msteams", ordered("width", "Full"));
        Map<String, Object> attachment = new LinkedHashMap<>();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.put("contentUrl", null);
        attachment.put("content", card);
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("type", "message");
        envelope.put("attachments", List.of(attachment));
        return envelope;
    }

    private static List<Map<String, Object>> elements(AlarmEvent event, AlarmText text) {
        List<Map<String, Object>> body = new ArrayList<>();
        Map<String, Object> headline = textBlock(text.headline());
        headline.put("weight", "Bolder");
        headline.put("size", "Medium");
        headline.put("color", color(event));
        body.add(headline);
        List<Map<String, Object>> facts = new ArrayList<>();
        if (!text.host().isEmpty()) {
            facts.add(ordered("title", "Host", "value", escape(text.host())));
        }
        if (!text.cluster().isEmpty()) {
            facts.add(ordered("title", "Cluster", "value", escape(text.cluster())));
        }
        if (!facts.isEmpty()) {
            body.add(ordered("type", "FactSet", "facts", facts));
        }
        if (!text.message().isEmpty()) {
            body.add(textBlock(text.message()));
        }
        if (!text.recommendation().isEmpty()) {
            body.add(textBlock("Recommendation: " + text.recommendation()));
        }
        if (!text.link().isEmpty() && httpLink(text.link()) == null) {
            body.add(textBlock(text.link())); // not a URL Teams would open: shown as text
        }
        return body;
    }

    /** A map of the given keys and values in their order: the body's bytes must not depend on hashing. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static Map<String, Object> textBlock(String plain) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("type", "TextBlock");
        // A single line break is not a break in card Markdown; an empty line is.
        block.put("text", escape(plain).replace("\r\n", "\n").replace("\n", "\n\n"));
        block.put("wrap", true);
        return block;
    }

    static String color(AlarmEvent event) {
        if (event.getStatus() == AlarmEventStatus.ENDED) {
            return "Good";
        }
        return event.getSeverity() == Severity.CRITICAL ? "Attention" : "Warning";
    }

    /**
     * Adaptive Card text escaping: a backslash before each character that would start Markdown emphasis, code or a
     * link ({@code \ * _ ~ ` [ ]}), and before the marker of a line that would start a list. Cards render no HTML,
     * so {@code <} and {@code &} need nothing
     * (<a href="https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format">
     * text formatting in cards</a>).
     */
    static String escape(String text) {
        String inline = INLINE.matcher(text).replaceAll(match -> Matcher.quoteReplacement("\\" + match.group()));
        String bullets = BULLET.matcher(inline).replaceAll(match -> Matcher.quoteReplacement(match.group(1) + "\\" + match.group(2)));
        return NUMBERED.matcher(bullets).replaceAll(match -> Matcher.quoteReplacement(match.group(1) + "\\."));
    }

    private static URI httpLink(String link) {
        if (link.isEmpty()) {
            return null;
        }
        try {
            URI uri = new URI(link);
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            return http && uri.getHost() != null ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static int length(String text) {
        return text.codePointCount(0, text.length());
    }
}
