package io.tocsin.rules.definition;

/**
 * {@code METRIC} rules turn samples of a metric into alarms by thresholds; {@code EVENT} rules describe alarms a
 * source raises itself (ClusterControl, Pacemaker, a collector check) and give them a fixed severity.
 */
public enum RuleKind {
    METRIC, EVENT
}
