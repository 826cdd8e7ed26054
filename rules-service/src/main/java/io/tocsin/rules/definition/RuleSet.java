package io.tocsin.rules.definition;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The validated rules, one per alarm type, in load order. Immutable.
 */
public final class RuleSet {

    private final Map<String, Rule> rules;

    RuleSet(Map<String, Rule> rules) {
        this.rules = Collections.unmodifiableMap(new LinkedHashMap<>(rules));
    }

    /** The rule for alarm type {@code type}, if any. */
    public Optional<Rule> rule(String type) {
        return Optional.ofNullable(rules.get(type));
    }

    /** Every alarm type with a rule. */
    public Set<String> types() {
        return rules.keySet();
    }

    /** Every rule, in load order. */
    public List<Rule> rules() {
        return List.copyOf(rules.values());
    }

    /** The metric rules fed by {@code metric}, in load order (e.g. host.ping.ok feeds HostUnreachable and HostFirewall). */
    public List<Rule> forMetric(String metric) {
        return rules.values().stream().filter(r -> metric.equals(r.metric())).toList();
    }

    public int size() {
        return rules.size();
    }

    /**
     * The thresholds of {@code type} for {@code host} of {@code cluster} (host &gt; cluster &gt; default); see
     * {@link Rule#effective(String, String)}.
     *
     * @throws IllegalArgumentException when no rule has that type
     */
    public Thresholds effective(String type, String cluster, String host) {
        return rule(type).orElseThrow(() -> new IllegalArgumentException("no rule for alarm type " + type)).effective(cluster, host);
    }
}
