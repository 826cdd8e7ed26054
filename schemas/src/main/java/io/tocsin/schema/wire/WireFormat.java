package io.tocsin.schema.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Tocsin's wire format for one record type (DESIGN.md section 3).
 *
 * <ul>
 *   <li>Writes Avro single-object encoding: {@code C3 01}, the 8-byte CRC-64-AVRO fingerprint of the writer
 *       schema, then the binary body. No schema registry is needed.</li>
 *   <li>Reads single-object encoding written with the current schema or any released version of it
 *       ({@link SchemaHistory}), resolving old writers to the current reader schema.</li>
 *   <li>When {@code acceptJson}, also reads UTF-8 JSON (first non-blank byte {@code {}) through
 *       {@link JsonRecordReader}, for simple producers such as {@code kcat} and scripts.</li>
 *   <li>Every decoded record passes the type's {@link RecordValidator}.</li>
 * </ul>
 * Decoding failures throw {@link InvalidRecordException} with a message fit for a DLQ header. Thread-safe.
 *
 * @param <T> generated record type
 */
public final class WireFormat<T extends SpecificRecordBase> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] V1_HEADER = {(byte) 0xC3, (byte) 0x01};

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;
    private final JsonRecordReader<T> jsonReader;
    private final boolean acceptJson;
    private final RecordValidator<T> validator;

    public WireFormat(Class<T> type, boolean acceptJson, RecordValidator<T> validator) {
        this.type = type;
        Schema current = SpecificData.get().getSchema(type);
        SchemaStore.Cache history = new SchemaStore.Cache();
        SchemaHistory.of(type.getSimpleName()).forEach(v -> history.addSchema(v.schema()));
        this.encoder = new BinaryMessageEncoder<>(SpecificData.get(), current);
        this.decoder = new BinaryMessageDecoder<>(SpecificData.get(), current, history);
        this.decoder.addSchema(current);
        this.jsonReader = new JsonRecordReader<>(type);
        this.acceptJson = acceptJson;
        this.validator = validator;
    }

    public Class<T> type() {
        return type;
    }

    /** Single-object encoding of {@code record}. */
    public byte[] encode(T record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decodes and validates one record.
     *
     * @throws InvalidRecordException when the bytes are neither a known Avro schema version nor (if accepted)
     *                                valid JSON of this record, or when the record breaks a rule
     */
    public T decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidRecordException("", "empty record");
        }
        T record = isSingleObject(bytes) ? decodeAvro(bytes) : decodeJson(bytes);
        List<FieldError> errors = validator.validate(record);
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
        return record;
    }

    /**
     * Decodes one Kafka record that may hold several records: a JSON array (when JSON is accepted) gives one
     * record per element, anything else exactly one. All or nothing: one bad element fails the whole record,
     * its error naming the element ({@code [2].state}).
     */
    public List<T> decodeAll(byte[] bytes) {
        if (acceptJson && bytes != null && firstNonBlank(bytes) == '[') {
            return jsonReader.readAll(parseJson(bytes), validator, false);
        }
        return List.of(decode(bytes));
    }

    private static int firstNonBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (!Character.isWhitespace(b)) {
                return b;
            }
        }
        return -1;
    }

    private static boolean isSingleObject(byte[] bytes) {
        return bytes.length >= 10 && bytes[0] == V1_HEADER[0] && bytes[1] == V1_HEADER[1];
    }

    private T decodeAvro(byte[] bytes) {
        try {
            return decoder.decode(bytes);
        } catch (MissingSchemaException e) {
            throw new InvalidRecordException("", "Avro record written with an unknown schema (fingerprint not among the released "
                    + type.getSimpleName() + " schemas)");
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
            throw new InvalidRecordException("", "not a decodable Avro " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    private T decodeJson(byte[] bytes) {
        if (!acceptJson) {
            throw new InvalidRecordException("", "not Avro single-object encoding (expected header C3 01)");
        }
        return jsonReader.read(parseJson(bytes));
    }

    private static JsonNode parseJson(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException("", "neither Avro single-object encoding nor valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
