package io.tocsin.rules.definition;

import java.time.Duration;

/**
 * Raise an open WARNING alarm to CRITICAL when it is still open after {@code cycles} evaluation cycles (samples or
 * repeated raises) or after {@code after}. Exactly one of the two is set.
 *
 * @param cycles the number of cycles, or {@code null}
 * @param after  the duration, or {@code null}
 */
public record Escalation(Integer cycles, Duration after) {

    /** @throws IllegalArgumentException unless exactly one of a positive count and a positive duration is given */
    public Escalation {
        if ((cycles == null) == (after == null) || (cycles != null && cycles < 1) || (after != null && (after.isZero() || after.isNegative()))) {
            throw new IllegalArgumentException("an escalation needs either a positive cycle count or a positive duration");
        }
    }
}
