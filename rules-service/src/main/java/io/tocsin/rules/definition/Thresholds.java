package io.tocsin.rules.definition;

/**
 * The warning and critical conditions in force for one host of one cluster, after overrides; either may be
 * {@code null} when the rule has no such level.
 */
public record Thresholds(Condition warning, Condition critical) {
}
