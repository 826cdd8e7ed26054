package io.tocsin.standalone.deploy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression (as written in a Grafana panel or a Prometheus rule) selects: every identifier
 * that is not a function or aggregation (those are followed by {@code (}), a keyword, a label name (inside
 * {@code {...}} or a {@code by}/{@code without}/{@code on}/{@code ignoring}/{@code group_left}/{@code group_right}
 * list), a string, a range or a Grafana variable. Enough PromQL for dashboards and alert rules, not a parser: an
 * expression this cannot read yields a name that matches no metric, so the test fails loudly rather than passing.
 */
final class PromQlNames {

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern GRAFANA_VARIABLES = Pattern.compile("\\$\\{[^}]*}|\\$\\w+|\\[\\[\\w+]]");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LISTS = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
            "group_left", "group_right", "inf", "nan", "Inf", "NaN", "atan2", "start", "end");

    private PromQlNames() {
    }

    /** The metric names {@code expression} selects, in order of appearance. */
    static Set<String> of(String expression) {
        String text = STRINGS.matcher(expression).replaceAll(" ");
        text = GRAFANA_VARIABLES.matcher(text).replaceAll("5m");
        text = MATCHERS.matcher(text).replaceAll(" ");
        text = RANGES.matcher(text).replaceAll(" ");
        text = LABEL_LISTS.matcher(text).replaceAll(" ");
        // A number such as 1e3 or 0x1F must not read as a name: drop numeric literals.
        text = text.replaceAll("(?<![\\w.])\\d[\\w.]*", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher identifier = IDENTIFIER.matcher(text);
        while (identifier.find()) {
            boolean call = identifier.group(2) != null;
            String name = identifier.group(1);
            if (!call && !KEYWORDS.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }
}
