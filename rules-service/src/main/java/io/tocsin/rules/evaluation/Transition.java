package io.tocsin.rules.evaluation;

import io.tocsin.rules.definition.Condition;
import io.tocsin.schema.Severity;

/**
 * A change of a series' alarm: it opens, changes severity (escalation or de-escalation), or clears.
 *
 * @param kind      what happened
 * @param severity  the alarm's severity after it (for {@code CLEAR}, the severity it had)
 * @param value     the (aggregated) value that caused it
 * @param condition the condition that holds at that severity (for the {@code {threshold}} placeholder), or
 *                  {@code null} when none does (a clear, or an escalation by time)
 * @param at        event time, epoch milliseconds
 */
public record Transition(Kind kind, Severity severity, double value, Condition condition, long at) {

    public enum Kind { OPEN, CHANGE, CLEAR }
}
