package io.tocsin.schema.wire;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde over a {@link WireFormat}. {@code null} maps to {@code null} both ways (tombstones of compacted
 * topics). A record that cannot be decoded raises {@link SerializationException} whose cause is the
 * {@link InvalidRecordException}; Tocsin's consumers read raw bytes and decode themselves so that such a record
 * goes to the DLQ instead of stopping the consumer.
 */
public final class AvroSerde<T extends SpecificRecordBase> implements Serde<T> {

    private final WireFormat<T> format;

    public AvroSerde(WireFormat<T> format) {
        this.format = format;
    }

    public WireFormat<T> format() {
        return format;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, record) -> record == null ? null : format.encode(record);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return format.decode(bytes);
            } catch (InvalidRecordException e) {
                throw new SerializationException("cannot decode " + format.type().getSimpleName() + " from " + topic + ": " + e.getMessage(), e);
            }
        };
    }
}
