package io.tocsin.rules.definition;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects validation errors while a rules file is read, so that one load reports every problem at once. Each
 * message reads {@code <file>: rule <type>: <field> <problem>}, e.g.
 * {@code rules/custom.yaml: rule HostCpuUsage: warning.above must be a number}.
 */
final class RuleProblems {

    private final List<String> errors = new ArrayList<>();

    /** Records a problem of the file as a whole (unreadable, not YAML, wrong top-level shape). */
    void file(String file, String problem) {
        errors.add(file + ": " + problem);
    }

    /** Records a problem of {@code field} of rule {@code rule} in {@code file}. */
    void field(String file, String rule, String field, String problem) {
        errors.add(file + ": rule " + rule + ": " + (field.isEmpty() ? "" : field + " ") + problem);
    }

    List<String> errors() {
        return List.copyOf(errors);
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }
}
