package io.tocsin.rules.view;

import io.tocsin.schema.wire.FieldError;
import java.util.List;

/**
 * A page of a list: {@code page} from 0, {@code size} 1 to {@value #MAX_SIZE} ({@value #DEFAULT_SIZE} when not given).
 *
 * @param page the page number, from 0
 * @param size how many items a page holds
 */
public record Paging(int page, int size) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;

    /** The paging the parameters ask for; problems are added to {@code errors} naming {@code page} or {@code size}. */
    public static Paging parse(String page, String size, List<FieldError> errors) {
        return new Paging(QueryParameters.integer("page", page, 0, 0, Integer.MAX_VALUE, errors),
                QueryParameters.integer("size", size, DEFAULT_SIZE, 1, MAX_SIZE, errors));
    }

    /** This page's part of {@code sorted}; empty past the end. */
    public <T> List<T> slice(List<T> sorted) {
        long from = (long) page * size;
        if (from >= sorted.size()) {
            return List.of();
        }
        return sorted.subList((int) from, (int) Math.min(sorted.size(), from + size));
    }
}
