package io.tocsin.collector.process;

import io.tocsin.schema.wire.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The process list cannot be used: it cannot be read, is not YAML, or has entries with problems. The message names
 * the file and every problem as {@code [index].field: what is wrong} (index from 0, field as the YAML key), so the
 * start of the collector fails with everything that must be fixed.
 */
public final class ProcessListException extends RuntimeException {

    private final String file;
    private final List<FieldError> problems;

    ProcessListException(String file, List<FieldError> problems) {
        super("Invalid process list " + file + ": " + problems.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    /** The file as configured. */
    public String file() {
        return file;
    }

    /** Every problem, in file order; the field is {@code [index].key}, or empty for the file as a whole. */
    public List<FieldError> problems() {
        return problems;
    }
}
