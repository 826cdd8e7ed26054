package io.tocsin.schema.wire;

import java.util.List;

/**
 * Rules a record must satisfy beyond its Avro schema (non-empty ids, allowed characters, size limits).
 * The same validator runs at the HTTP edge and when a raw topic is decoded, so both reject the same records.
 *
 * @param <T> the record type
 */
@FunctionalInterface
public interface RecordValidator<T> {

    /** Every rule the record breaks; empty when it is valid. */
    List<FieldError> validate(T record);

    static <T> RecordValidator<T> none() {
        return record -> List.of();
    }
}
