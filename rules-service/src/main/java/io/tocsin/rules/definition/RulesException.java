package io.tocsin.rules.definition;

import java.util.List;

/**
 * Thrown when rules files cannot be loaded; carries every problem found, each naming file, rule and field, so that
 * an operator fixes a file in one pass instead of one error per restart.
 */
public final class RulesException extends RuntimeException {

    private final List<String> errors;

    public RulesException(List<String> errors) {
        super(errors.size() + " error(s) in the alarm rules:\n  " + String.join("\n  ", errors));
        this.errors = List.copyOf(errors);
    }

    /** Every problem, in file order. */
    public List<String> errors() {
        return errors;
    }
}
