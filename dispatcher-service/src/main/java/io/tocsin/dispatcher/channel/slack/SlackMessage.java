package io.tocsin.dispatcher.channel.slack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tocsin.dispatcher.channel.AlarmText;
import io.tocsin.dispatcher.channel.JsonBodies;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.Severity;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The JSON body of one Slack incoming-webhook message for an alarm event: a top-level {@code text} (the headline;
 * what notifications and screen readers show) and one attachment coloured by severity that holds Block Kit blocks:
 * a {@code section} with the host, cluster, message and recommendation, and a {@code context} with the link (when
 * the integration has one), the alarm key and the event time.
 *
 * <p>All text is Slack mrkdwn escaped by {@link #escape}: Slack's rules
 * (<a href="https://docs.slack.dev/messaging/formatting-message-text#escaping">formatting: escaping</a>) ask for
 * {@code &}, {@code <} and {@code >} only, which is also what keeps alarm text from forming mentions such as
 * {@code <!channel>} or links. Mrkdwn has no escape for {@code * _ ~ `}: such characters in an alarm's text may
 * format it, they cannot do more.
 *
 * <p>Limits (<a href="https://docs.slack.dev/reference/block-kit/blocks">Block Kit</a>): a section's text is at
 * most 3000 characters; parts are cut by characters ({@link AlarmText#truncate}), never inside an entity.
 */
final class SlackMessage {

    /** A section block's text limit. */
    static final int SECTION_LIMIT = 3000;
    static final int HEADLINE_LIMIT = 500;
    static final int CONTEXT_PART_LIMIT = 300;
    static final int HOST_LIMIT = 200;
    static final int RECOMMENDATION_LIMIT = 1000;
    /** A longer link is left out rather than cut: a cut URL leads nowhere. */
    static final int LINK_LIMIT = 2000;

    static final String CRITICAL_COLOR = "#E01E5A";
    static final String WARNING_COLOR = "#ECB22E";
    static final String RESOLVED_COLOR = "#2EB67D";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private SlackMessage() {
    }

    /** The message for a CREATED or ENDED event; {@code linkTemplate} may be null. */
    static ObjectNode of(AlarmEvent event, String linkTemplate) {
        AlarmText text = AlarmText.of(event, linkTemplate);
        boolean ended = event.getStatus() == AlarmEventStatus.ENDED;
        ObjectNode body = JsonBodies.object();
        body.put("text", cut(escape(text.headline()), HEADLINE_LIMIT));
        ObjectNode attachment = body.putArray("attachments").addObject();
        attachment.put("color", ended ? RESOLVED_COLOR : event.getSeverity() == Severity.CRITICAL ? CRITICAL_COLOR : WARNING_COLOR);
        ArrayNode blocks = attachment.putArray("blocks");
        // A resolved alarm needs no action: its recommendation would only mislead.
        String details = details(text, ended ? "" : text.recommendation());
        if (!details.isEmpty()) {
            ObjectNode section = blocks.addObject().put("type", "section");
            section.putObject("text").put("type", "mrkdwn").put("text", details);
        }
        ArrayNode context = blocks.addObject().put("type", "context").putArray("elements");
        if (!text.link().isEmpty() && text.link().length() <= LINK_LIMIT) {
            // Inside <url|label> a '|' would end the URL; percent-encoding it keeps the URL the same resource.
            context.addObject().put("type", "mrkdwn").put("text", "<" + escape(text.link().replace("|", "%7C")) + "|Open the alarm>");
        }
        context.addObject().put("type", "mrkdwn").put("text", cut(escape(event.getAlarmKey()), CONTEXT_PART_LIMIT)
                + " · " + TIME.format(event.getEventTime()));
        return body;
    }

    /** Host and cluster, then the message with whatever room is left, then the recommendation. */
    private static String details(AlarmText text, String recommendation) {
        String host = labelled("Host", text.host(), HOST_LIMIT);
        String cluster = labelled("Cluster", text.cluster(), HOST_LIMIT);
        String advice = labelled("Recommendation", recommendation, RECOMMENDATION_LIMIT);
        StringBuilder out = new StringBuilder();
        append(out, host);
        append(out, cluster);
        int room = SECTION_LIMIT - out.length() - advice.length() - 2;
        append(out, text.message().isEmpty() ? "" : cut(escape(text.message()), room));
        append(out, advice);
        return out.toString();
    }

    private static String labelled(String label, String value, int limit) {
        return value.isEmpty() ? "" : "*" + label + ":* " + cut(escape(value), limit);
    }

    private static void append(StringBuilder out, String line) {
        if (!line.isEmpty()) {
            out.append(out.isEmpty() ? "" : "\n").append(line);
        }
    }

    /** Slack's mrkdwn escaping: {@code &}, {@code <} and {@code >} as HTML entities, {@code &} first. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * {@code escaped} cut to {@code maxChars} characters by {@link AlarmText#truncate}, dropping an entity the cut
     * would have split ({@code &am…}), so Slack never shows a broken entity.
     */
    static String cut(String escaped, int maxChars) {
        String cut = AlarmText.truncate(escaped, maxChars);
        if (cut.equals(escaped)) {
            return cut;
        }
        String kept = cut.substring(0, cut.length() - 1);
        int amp = kept.lastIndexOf('&');
        if (amp >= 0 && kept.indexOf(';', amp) < 0) {
            kept = kept.substring(0, amp);
        }
        return kept + "…";
    }

}
