package io.tocsin.dispatcher.channel;

import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The human text of an alarm event, the same for every incident and chat channel: a headline, the host and
 * cluster, the message, the recommendation and an optional link, each plain text that a channel escapes for its
 * markup ({@link #render}) and cuts to its limits ({@link #truncate}, by characters, never inside a surrogate pair).
 *
 * <p>The link comes from the integration's optional {@code link} setting, a URL template in which {@code {alarmKey}}
 * is replaced by the URL-encoded alarm key (e.g. {@code https://tocsin.example.com/api/v1/alarms/{alarmKey}} or a
 * dashboard's search URL). {@link #LINK_SETTING} is that setting's name for every channel that offers it.
 *
 * @param headline       e.g. {@code [CRITICAL] Server disconnected} or {@code [RESOLVED] Server disconnected}
 * @param host           the alarm's host name, possibly empty
 * @param cluster        the alarm's cluster, possibly empty
 * @param message        the alarm's message, possibly empty
 * @param recommendation what to do, possibly empty
 * @param link           the rendered link, or empty
 */
public record AlarmText(String headline, String host, String cluster, String message, String recommendation, String link) {

    /** The setting that holds the link template. */
    public static final String LINK_SETTING = "link";

    private static final String ELLIPSIS = "…";

    /** The text of {@code event}; {@code linkTemplate} may be null or blank (no link). */
    public static AlarmText of(AlarmEvent event, String linkTemplate) {
        String title = event.getTitle() == null || event.getTitle().isBlank() ? event.getType() : event.getTitle();
        String state = event.getStatus() == AlarmEventStatus.ENDED ? "RESOLVED" : event.getSeverity().name();
        String link = linkTemplate == null || linkTemplate.isBlank() ? ""
                : linkTemplate.strip().replace("{alarmKey}", URLEncoder.encode(event.getAlarmKey(), StandardCharsets.UTF_8));
        return new AlarmText("[" + state + "] " + title, nullToEmpty(event.getHostname()), nullToEmpty(event.getCluster()),
                nullToEmpty(event.getMessage()).strip(), nullToEmpty(event.getRecommendation()).strip(), link);
    }

    /**
     * A multi-line rendering: the headline (through {@code bold}, which also escapes it), then "Host", "Cluster",
     * the message, "Recommendation" and the link, each line's text through {@code escape}; empty parts are left
     * out. Channels with a length limit truncate the result (or its parts) with {@link #truncate}.
     */
    public String render(UnaryOperator<String> escape, UnaryOperator<String> bold) {
        StringBuilder out = new StringBuilder(bold.apply(headline));
        line(out, "Host", host, escape);
        line(out, "Cluster", cluster, escape);
        if (!message.isEmpty()) {
            out.append('\n').append(escape.apply(message));
        }
        line(out, "Recommendation", recommendation, escape);
        if (!link.isEmpty()) {
            out.append('\n').append(escape.apply(link));
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String label, String value, UnaryOperator<String> escape) {
        if (!value.isEmpty()) {
            out.append('\n').append(escape.apply(label + ": " + value));
        }
    }

    /**
     * {@code text} cut to at most {@code maxChars} characters (Unicode code points), ending with "…" when cut; a
     * surrogate pair is never split.
     */
    public static String truncate(String text, int maxChars) {
        if (text == null) {
            return "";
        }
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be at least 1");
        }
        if (text.codePointCount(0, text.length()) <= maxChars) {
            return text;
        }
        int end = text.offsetByCodePoints(0, maxChars - 1);
        return text.substring(0, end) + ELLIPSIS;
    }

    /** {@code severity} in lower case, for services whose levels are lower-case words. */
    public static String lower(Enum<?> severity) {
        return severity.name().toLowerCase(Locale.ROOT);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
