package io.tocsin.rules.definition;

import io.tocsin.rules.catalogue.AlarmCatalogue;
import io.tocsin.schema.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns one rule, as SnakeYAML's safe loader gives it (maps, lists, strings, numbers), into a {@link Rule}. It never
 * stops at the first problem: every problem goes to the {@link RuleProblems}, and {@link #parse} returns
 * {@code null} when the rule had any.
 */
final class RuleParser {

    private static final Set<String> COMMON = Set.of("type", "kind", "component", "categories", "title", "message", "recommendation", "escalate");
    private static final Set<String> METRIC_ONLY = Set.of("metric", "instance", "warning", "critical", "aggregate", "window", "sustained",
            "consecutive", "clear", "overrides");
    private static final Set<String> EVENT_ONLY = Set.of("severity");
    private static final Set<String> OVERRIDE_FIELDS = Set.of("cluster", "host", "warning", "critical");
    private static final Pattern TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern METRIC = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
    private static final String OPERATORS = "above, below, at-least, at-most, between";

    private final String file;
    private final RuleProblems problems;
    private String rule;
    private int errorsBefore;

    RuleParser(String file, RuleProblems problems) {
        this.file = file;
        this.problems = problems;
    }

    /** The rule's type as far as it can be read, for naming it in messages ({@code #3} when it has none). */
    static String label(Object node, int index) {
        return node instanceof Map<?, ?> map && map.get("type") instanceof String type && !type.isBlank() ? type : "#" + (index + 1);
    }

    /** Parses the {@code index}-th rule of the file; {@code null} when it has problems (all of them reported). */
    Rule parse(Object node, int index) {
        rule = label(node, index);
        errorsBefore = problems.errors().size();
        if (!(node instanceof Map<?, ?> map)) {
            error("", "must be a mapping of fields");
            return null;
        }
        String type = text(map, "type", true);
        if (type != null && !TYPE.matcher(type).matches()) {
            error("type", "must be a code like HostCpuUsage (letters, digits, _)");
        }
        RuleKind kind = enumValue(map, "kind", RuleKind.class, true);
        for (Object key : map.keySet()) {
            String name = String.valueOf(key);
            if (!COMMON.contains(name) && !METRIC_ONLY.contains(name) && !EVENT_ONLY.contains(name)) {
                error(name, "is not a known field");
            } else if (kind == RuleKind.EVENT && METRIC_ONLY.contains(name)) {
                error(name, "is not allowed in an event rule");
            } else if (kind == RuleKind.METRIC && EVENT_ONLY.contains(name)) {
                error(name, "is not allowed in a metric rule (its severity follows from warning/critical)");
            }
        }
        String component = text(map, "component", true);
        List<String> categories = categories(map);
        Set<String> placeholders = kind == RuleKind.EVENT ? Set.of("host", "instance", "cluster") : MessageTemplate.PLACEHOLDERS;
        MessageTemplate title = template(map, "title", placeholders);
        MessageTemplate message = template(map, "message", placeholders);
        MessageTemplate recommendation = template(map, "recommendation", placeholders);
        Escalation escalate = escalation(map);
        if (kind == RuleKind.EVENT) {
            Severity severity = enumValue(map, "severity", Severity.class, true);
            if (escalate != null && severity == Severity.CRITICAL) {
                error("escalate", "is pointless on a critical rule");
            }
            return failed() ? null : new Rule(type, kind, null, null, null, null, null, null, null, null, null, escalate, severity,
                    component, categories, title, message, recommendation, List.of());
        }
        String metric = text(map, "metric", kind == RuleKind.METRIC);
        if (metric != null && !METRIC.matcher(metric).matches()) {
            error("metric", "must be a dotted lower-case metric name like host.cpu.usage");
        }
        String instance = text(map, "instance", false);
        Condition warning = condition(map.get("warning"), "warning");
        Condition critical = condition(map.get("critical"), "critical");
        if (kind == RuleKind.METRIC && warning == null && critical == null && !map.containsKey("warning") && !map.containsKey("critical")) {
            error("warning", "or critical is required in a metric rule");
        }
        Aggregate aggregate = map.containsKey("aggregate") ? enumValue(map, "aggregate", Aggregate.class, false) : Aggregate.LAST;
        Duration window = duration(map, "window");
        if (aggregate != null && aggregate != Aggregate.LAST && window == null && !map.containsKey("window")) {
            error("window", "is required with aggregate " + aggregate.name().toLowerCase(Locale.ROOT));
        }
        Duration sustained = duration(map, "sustained");
        Integer consecutive = positive(map.get("consecutive"), "consecutive");
        if (map.containsKey("sustained") && map.containsKey("consecutive")) {
            error("sustained", "and consecutive cannot both be set");
        }
        Condition clear = condition(map.get("clear"), "clear");
        if (escalate != null && critical == null) {
            error("escalate", "needs a critical condition to escalate to");
        }
        List<ThresholdOverride> overrides = overrides(map.get("overrides"));
        return failed() || kind == null ? null : new Rule(type, kind, metric, instance, warning, critical, aggregate, window, sustained,
                consecutive, clear, escalate, null, component, categories, title, message, recommendation, overrides);
    }

    private boolean failed() {
        return problems.errors().size() > errorsBefore;
    }

    private void error(String field, String problem) {
        problems.field(file, rule, field, problem);
    }

    private String text(Map<?, ?> map, String field, boolean required) {
        Object value = map.get(field);
        if (value == null) {
            if (required) {
                error(field, "is required");
            }
            return null;
        }
        if (!(value instanceof String s) || s.isBlank()) {
            error(field, "must be a non-empty string");
            return null;
        }
        return s;
    }

    private <E extends Enum<E>> E enumValue(Map<?, ?> map, String field, Class<E> type, boolean required) {
        String value = text(map, field, required);
        if (value == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            String name = constant.name().toLowerCase(Locale.ROOT);
            if (name.equals(value.toLowerCase(Locale.ROOT))) {
                return constant;
            }
            names.add(name);
        }
        error(field, "must be one of " + String.join(", ", names) + ", not '" + value + "'");
        return null;
    }

    private List<String> categories(Map<?, ?> map) {
        Object value = map.get("categories");
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            error("categories", value == null ? "is required" : "must be a non-empty list");
            return List.of();
        }
        List<String> categories = new ArrayList<>();
        for (Object item : list) {
            if (!AlarmCatalogue.CATEGORIES.contains(item)) {
                error("categories", "has unknown category '" + item + "' (known: " + String.join(", ", AlarmCatalogue.CATEGORIES) + ")");
            } else if (categories.contains(item)) {
                error("categories", "lists '" + item + "' twice");
            } else {
                categories.add((String) item);
            }
        }
        return categories;
    }

    private MessageTemplate template(Map<?, ?> map, String field, Set<String> allowed) {
        String value = text(map, field, false);
        try {
            return value == null ? null : MessageTemplate.parse(value, allowed);
        } catch (IllegalArgumentException e) {
            error(field, e.getMessage());
            return null;
        }
    }

    /** A condition mapping such as {@code {above: 80}} or {@code {between: [6, 12]}}; null when absent or bad. */
    private Condition condition(Object node, String field) {
        if (node == null) {
            return null;
        }
        if (!(node instanceof Map<?, ?> map) || map.size() != 1) {
            error(field, "must have exactly one of " + OPERATORS + ", e.g. {above: 80}");
            return null;
        }
        Map.Entry<?, ?> entry = map.entrySet().iterator().next();
        String key = String.valueOf(entry.getKey());
        Condition.Operator operator = Condition.Operator.fromYaml(key);
        if (operator == null) {
            error(field + "." + key, "is not a condition (use one of " + OPERATORS + ")");
            return null;
        }
        if (operator != Condition.Operator.BETWEEN) {
            Double threshold = number(entry.getValue(), field + "." + key);
            return threshold == null ? null : Condition.of(operator, threshold);
        }
        if (!(entry.getValue() instanceof List<?> range) || range.size() != 2) {
            error(field + ".between", "must be a list of two numbers [low, high]");
            return null;
        }
        Double low = number(range.get(0), field + ".between");
        Double high = number(range.get(1), field + ".between");
        if (low == null || high == null) {
            return null;
        }
        if (low > high) {
            error(field + ".between", "must have low <= high");
            return null;
        }
        return Condition.between(low, high);
    }

    private Double number(Object value, String field) {
        if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        error(field, "must be a number");
        return null;
    }

    private Integer positive(Object value, String field) {
        if (value == null) {
            return null;
        }
        if (value instanceof Integer n && n > 0) {
            return n;
        }
        error(field, "must be a positive whole number");
        return null;
    }

    /** Durations are written {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}, {@code 2d}; zero is refused. */
    private Duration duration(Map<?, ?> map, String field) {
        return durationValue(map.get(field), field);
    }

    private Duration durationValue(Object value, String field) {
        if (value == null) {
            return null;
        }
        Duration parsed = value instanceof String text ? Durations.parse(text) : null;
        if (parsed == null) {
            error(field, "must be a positive duration like 30s, 10m or 1h, not '" + value + "'");
        }
        return parsed;
    }

    private Escalation escalation(Map<?, ?> map) {
        Object node = map.get("escalate");
        if (node == null) {
            return null;
        }
        if (!(node instanceof Map<?, ?> esc) || esc.size() != 1 || !(esc.containsKey("cycles") || esc.containsKey("after"))) {
            error("escalate", "must have exactly one of cycles (a count) or after (a duration)");
            return null;
        }
        Integer cycles = positive(esc.get("cycles"), "escalate.cycles");
        Duration after = durationValue(esc.get("after"), "escalate.after");
        return cycles == null && after == null ? null : new Escalation(cycles, after);
    }

    private List<ThresholdOverride> overrides(Object node) {
        if (node == null) {
            return List.of();
        }
        if (!(node instanceof List<?> list)) {
            error("overrides", "must be a list");
            return List.of();
        }
        List<ThresholdOverride> overrides = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "overrides[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> map)) {
                error(at, "must be a mapping");
                continue;
            }
            Set<String> keys = new HashSet<>();
            for (Object key : map.keySet()) {
                keys.add(String.valueOf(key));
                if (!OVERRIDE_FIELDS.contains(String.valueOf(key))) {
                    error(at + "." + key, "is not a known field (use cluster, host, warning, critical)");
                }
            }
            String cluster = selector(map, "cluster", at);
            String host = selector(map, "host", at);
            if (!keys.contains("cluster") && !keys.contains("host")) {
                error(at, "needs a cluster or host selector");
            }
            if (!keys.contains("warning") && !keys.contains("critical")) {
                error(at, "needs a warning or critical condition");
            }
            Condition warning = condition(map.get("warning"), at + ".warning");
            Condition critical = condition(map.get("critical"), at + ".critical");
            overrides.add(new ThresholdOverride(cluster, host, warning, critical));
        }
        return overrides;
    }

    private String selector(Map<?, ?> map, String field, String at) {
        Object value = map.get(field);
        if (value != null && (!(value instanceof String s) || s.isBlank())) {
            error(at + "." + field, "must be a non-empty string (a glob)");
            return null;
        }
        return (String) value;
    }
}
