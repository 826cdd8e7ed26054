package io.tocsin.rules.definition;

import java.util.Locale;

/**
 * A threshold condition on a (possibly aggregated) metric value: {@code above}, {@code below}, {@code at-least},
 * {@code at-most} or {@code between [low, high]} (both ends inclusive). Immutable.
 *
 * @param operator the comparison
 * @param low      the threshold, or the lower end for {@code between}
 * @param high     the upper end for {@code between}; equal to {@code low} otherwise
 */
public record Condition(Operator operator, double low, double high) {

    /** The comparisons of the rules language, with their YAML spelling. */
    public enum Operator {
        ABOVE("above"), BELOW("below"), AT_LEAST("at-least"), AT_MOST("at-most"), BETWEEN("between");

        private final String yaml;

        Operator(String yaml) {
            this.yaml = yaml;
        }

        /** The YAML key, e.g. {@code at-least}. */
        public String yaml() {
            return yaml;
        }

        /** The operator spelled {@code key} in YAML, or {@code null} when no operator is spelled so. */
        public static Operator fromYaml(String key) {
            for (Operator operator : values()) {
                if (operator.yaml.equals(key)) {
                    return operator;
                }
            }
            return null;
        }
    }

    /**
     * @throws IllegalArgumentException when {@code operator} is null, a bound is not finite, or a
     *                                  {@code between} range has {@code low > high}
     */
    public Condition {
        if (operator == null || !Double.isFinite(low) || !Double.isFinite(high)) {
            throw new IllegalArgumentException("a condition needs an operator and finite thresholds");
        }
        if (operator == Operator.BETWEEN ? low > high : low != high) {
            throw new IllegalArgumentException("bad range [" + low + ", " + high + "] for " + operator.yaml());
        }
    }

    /** A single-threshold condition ({@code above}, {@code below}, {@code at-least}, {@code at-most}). */
    public static Condition of(Operator operator, double threshold) {
        return new Condition(operator, threshold, threshold);
    }

    /** {@code between [low, high]}, both inclusive. */
    public static Condition between(double low, double high) {
        return new Condition(Operator.BETWEEN, low, high);
    }

    /** Whether {@code value} satisfies the condition; NaN never does. */
    public boolean holds(double value) {
        return switch (operator) {
            case ABOVE -> value > low;
            case BELOW -> value < low;
            case AT_LEAST -> value >= low;
            case AT_MOST -> value <= low;
            case BETWEEN -> value >= low && value <= high;
        };
    }

    /** The threshold as the {@code {threshold}} placeholder shows it: {@code 80}, {@code 6-12}. */
    public String thresholdText() {
        return operator == Operator.BETWEEN ? number(low) + "-" + number(high) : number(low);
    }

    /** The YAML spelling, e.g. {@code above 80} or {@code between [6, 12]}. */
    @Override
    public String toString() {
        return operator == Operator.BETWEEN ? "between [" + number(low) + ", " + number(high) + "]" : operator.yaml() + " " + number(low);
    }

    static String number(double value) {
        // Thresholds are mostly whole numbers; "80" reads better than "80.0" in titles and messages.
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : String.format(Locale.ROOT, "%s", value);
    }
}
