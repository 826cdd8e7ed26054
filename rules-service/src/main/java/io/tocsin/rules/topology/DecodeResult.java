package io.tocsin.rules.topology;

/**
 * What {@link RecordDecoder} made of one raw record: a value (and whether it arrived under another key than the
 * one the topology partitions it by, so it must be repartitioned), or a dead letter holding the original bytes.
 *
 * @param <T> the record type
 */
record DecodeResult<T>(T value, boolean rekeyed, byte[] originalKey, byte[] originalValue) {

    static <T> DecodeResult<T> of(T value, boolean rekeyed) {
        return new DecodeResult<>(value, rekeyed, null, null);
    }

    static <T> DecodeResult<T> dead(byte[] key, byte[] value) {
        return new DecodeResult<>(null, false, key, value);
    }

    boolean isDead() {
        return value == null;
    }
}
