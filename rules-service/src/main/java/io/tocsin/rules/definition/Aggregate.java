package io.tocsin.rules.definition;

/**
 * How a metric rule reduces the samples in its window to one value before comparing it with the thresholds.
 * {@code LAST} needs no window; every other aggregate does.
 */
public enum Aggregate {
    /** The newest sample. */
    LAST,
    /** The arithmetic mean of the samples in the window. */
    AVG,
    /** The largest sample in the window. */
    MAX,
    /** The smallest sample in the window. */
    MIN,
    /** The sum of the samples in the window (e.g. pages swapped per sample, summed over 10 minutes). */
    SUM,
    /** The number of samples in the window. */
    COUNT,
    /** The change per second between the oldest and newest sample in the window. */
    RATE
}
