package io.tocsin.dispatcher.channel.email;

import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The text and HTML bodies of an alarm e-mail: the same fields in the same order, once as aligned
 * {@code Name: value} lines and once as an HTML table. Every value in the HTML is escaped: alarm text comes from
 * monitored systems and must never become markup. Times are ISO-8601 UTC; empty values show as {@code -}.
 */
final class AlarmMailBody {

    static final String EMPTY = "-";
    private static final int LABEL_WIDTH = 16;

    private AlarmMailBody() {
    }

    /** One row of the body. */
    record Field(String name, String value) {
    }

    /** The fields shown, in order. */
    static List<Field> fields(AlarmEvent event) {
        Map<String, String> labels = new TreeMap<>(event.getLabels());
        return List.of(
                new Field("Status", event.getStatus() == AlarmEventStatus.ENDED ? "ENDED (resolved)" : event.getStatus().name()),
                new Field("Severity", event.getSeverity().name()),
                new Field("Title", event.getTitle()),
                new Field("Message", event.getMessage()),
                new Field("Recommendation", event.getRecommendation()),
                new Field("Cluster", event.getCluster()),
                new Field("Host", event.getHostname()),
                new Field("Component", event.getComponent()),
                new Field("Categories", String.join(", ", event.getCategories())),
                new Field("Alarm key", event.getAlarmKey()),
                new Field("Opened at", event.getOpenedAt().toString()),
                new Field("Event time", event.getEventTime().toString()),
                new Field("Labels", labels.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "))));
    }

    /**
     * {@code Name:           value} lines; continuation lines of multi-line values are indented under the
     * value.
     */
    static String text(AlarmEvent event) {
        StringBuilder out = new StringBuilder();
        for (Field field : fields(event)) {
            String label = field.name() + ":";
            out.append(label).append(" ".repeat(Math.max(1, LABEL_WIDTH - label.length())));
            out.append(orEmpty(field.value()).replaceAll("\\R", "\n" + " ".repeat(LABEL_WIDTH))).append('\n');
        }
        out.append("\n-- \nSent by Tocsin. Event ").append(event.getEventId()).append('\n');
        return out.toString();
    }

    /** A small self-contained HTML document: a coloured heading and a table. */
    static String html(AlarmEvent event, String subject) {
        String colour = switch (event.getStatus() == AlarmEventStatus.ENDED ? "RESOLVED" : event.getSeverity().name()) {
            case "RESOLVED" -> "#2e7d32";
            case "CRITICAL" -> "#c62828";
            default -> "#ef6c00";
        };
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html><head><meta charset=\"UTF-8\"><title>").append(escape(subject))
                .append("</title></head>\n<body style=\"font-family:sans-serif\">\n")
                .append("<h2 style=\"color:").append(colour).append("\">").append(escape(subject)).append("</h2>\n")
                .append("<table cellpadding=\"4\" style=\"border-collapse:collapse\">\n");
        for (Field field : fields(event)) {
            out.append("<tr><th align=\"left\" valign=\"top\">").append(escape(field.name()))
                    .append("</th><td>").append(escape(orEmpty(field.value())).replaceAll("\\R", "<br>"))
                    .append("</td></tr>\n");
        }
        out.append("</table>\n<p style=\"color:#757575;font-size:small\">Sent by Tocsin. Event ")
                .append(escape(event.getEventId())).append("</p>\n</body></html>\n");
        return out.toString();
    }

    /** HTML-escapes text for element content and quoted attribute values. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String orEmpty(String value) {
        return value == null || value.isBlank() ? EMPTY : value;
    }
}
