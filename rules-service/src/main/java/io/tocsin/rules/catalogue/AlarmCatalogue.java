package io.tocsin.rules.catalogue;

import static io.tocsin.schema.Severity.CRITICAL;
import static io.tocsin.schema.Severity.WARNING;

import io.tocsin.rules.definition.Rule;
import io.tocsin.rules.definition.RuleKind;
import io.tocsin.rules.definition.RuleSet;
import io.tocsin.rules.definition.RulesLoader;
import io.tocsin.schema.Severity;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the lifecycle needs of the rules for a raw alarm: the severity it has when the source does not say, its
 * area (ClusterControl's component) and its categories, per alarm type. Built from a {@link RuleSet} (by
 * default the shipped {@code rules/default-rules.yaml}, ClusterControl's Warning Events and Critical Events
 * tables of seed 000): an event rule gives its fixed severity; a threshold rule gives WARNING when it has a
 * Warning level, else CRITICAL (the level the source's raise most plausibly means). Unknown types are WARNING,
 * with the category of their component when it names one.
 */
public final class AlarmCatalogue {

    /** The event categories of ClusterControl's integrations. */
    public static final List<String> CATEGORIES = List.of("Network", "CMON Database", "Mail", "Cluster", "Cluster Configuration",
            "Cluster Recovery", "Node", "Host", "Database Health", "Database Performance", "Software Installation", "Backup");

    private final Map<String, AlarmType> types = new HashMap<>();

    /** The catalogue of the shipped rules. */
    public AlarmCatalogue() {
        this(RulesLoader.defaults());
    }

    public AlarmCatalogue(RuleSet rules) {
        for (Rule rule : rules.rules()) {
            types.put(rule.type(), new AlarmType(rule.type(), defaultSeverity(rule), rule.component(), rule.categories()));
        }
    }

    static Severity defaultSeverity(Rule rule) {
        if (rule.kind() == RuleKind.EVENT) {
            return rule.severity();
        }
        return rule.warning() != null ? WARNING : CRITICAL;
    }

    /** The known type, or a WARNING one whose category follows its component (when that names a category). */
    public AlarmType lookup(String type, String component) {
        AlarmType known = types.get(type);
        if (known != null) {
            return known;
        }
        String area = component == null || component.isBlank() ? "Other" : component;
        List<String> categories = CATEGORIES.stream().filter(c -> c.toLowerCase(Locale.ROOT).equals(area.toLowerCase(Locale.ROOT))).toList();
        return new AlarmType(type, WARNING, area, categories);
    }
}
