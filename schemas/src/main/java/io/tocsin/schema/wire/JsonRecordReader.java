package io.tocsin.schema.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Reads a plain JSON object (the shapes of DESIGN.md section 3: no Avro union wrappers) into a generated Avro
 * record, checking it against the record's schema and collecting an error per offending field.
 *
 * <p>Accepted spellings: strings for strings and enum symbols; numbers for numbers; ISO-8601 instants or epoch
 * milliseconds for {@code timestamp-millis}; {@code null} or an absent field for optional fields; objects of
 * strings for maps. Absent fields take their schema default; a field without a default is required. Fields the
 * schema does not know are ignored by {@link #read} and reported by {@link #unknownFields}.
 *
 * @param <T> generated record type
 */
public final class JsonRecordReader<T extends SpecificRecordBase> {

    private final Class<T> type;
    private final Schema schema;

    public JsonRecordReader(Class<T> type) {
        this.type = type;
        this.schema = SpecificData.get().getSchema(type);
    }

    /**
     * Reads a JSON object, or every element of a non-empty JSON array, and validates each record. All or nothing:
     * every problem of every element is collected, its field prefixed by the element ({@code [2].state}).
     *
     * @param rejectUnknown whether fields the schema does not know are errors (at the HTTP edge, where they are
     *                      usually typos) or ignored (on topics, where a newer producer may know more fields)
     * @throws InvalidRecordException naming every offending field
     */
    public List<T> readAll(JsonNode root, RecordValidator<T> validator, boolean rejectUnknown) {
        if (root != null && root.isArray() && root.isEmpty()) {
            throw new InvalidRecordException("", "must hold at least one record");
        }
        boolean array = root != null && root.isArray();
        int count = array ? root.size() : 1;
        List<T> records = new ArrayList<>(count);
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JsonNode node = array ? root.get(i) : root;
            String prefix = array ? "[" + i + "]" : "";
            if (rejectUnknown) {
                unknownFields(node).forEach(e -> errors.add(e.under(prefix)));
            }
            try {
                T record = read(node);
                validator.validate(record).forEach(e -> errors.add(e.under(prefix)));
                records.add(record);
            } catch (InvalidRecordException e) {
                e.errors().forEach(err -> errors.add(err.under(prefix)));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
        return records;
    }

    /**
     * Reads one record.
     *
     * @throws InvalidRecordException naming every field that is missing or of the wrong type
     */
    public T read(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new InvalidRecordException("", "must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        T record = type.cast(SpecificData.newInstance(type, schema));
        for (Schema.Field field : schema.getFields()) {
            JsonNode value = node.get(field.name());
            try {
                record.put(field.pos(), value == null ? defaultOf(field) : convert(value, field.schema(), field.name()));
            } catch (InvalidRecordException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
        return record;
    }

    /** A field error for each field of {@code node} that the schema does not have (usually a typo). */
    public List<FieldError> unknownFields(JsonNode node) {
        List<FieldError> errors = new ArrayList<>();
        if (node != null && node.isObject()) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (schema.getField(name) == null) {
                    errors.add(new FieldError(name, "unknown field"));
                }
            }
        }
        return errors;
    }

    private static Object defaultOf(Schema.Field field) {
        if (!field.hasDefaultValue()) {
            throw new InvalidRecordException(field.name(), "is required");
        }
        return SpecificData.get().getDefaultValue(field);
    }

    private static Object convert(JsonNode value, Schema schema, String path) {
        return switch (schema.getType()) {
            case UNION -> convertUnion(value, schema, path);
            case NULL -> {
                if (!value.isNull()) {
                    throw new InvalidRecordException(path, "must be null");
                }
                yield null;
            }
            case STRING -> {
                if (!value.isTextual()) {
                    throw new InvalidRecordException(path, "must be a string");
                }
                yield value.textValue();
            }
            case ENUM -> {
                if (!value.isTextual() || !schema.hasEnumSymbol(value.textValue())) {
                    throw new InvalidRecordException(path, "must be one of " + String.join(", ", schema.getEnumSymbols()));
                }
                yield SpecificData.get().createEnum(value.textValue(), schema);
            }
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    throw new InvalidRecordException(path, "must be true or false");
                }
                yield value.booleanValue();
            }
            case INT -> {
                if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                    throw new InvalidRecordException(path, "must be a 32-bit integer");
                }
                yield value.intValue();
            }
            case LONG -> convertLong(value, schema.getLogicalType(), path);
            case FLOAT, DOUBLE -> {
                if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
                    throw new InvalidRecordException(path, "must be a finite number");
                }
                yield schema.getType() == Schema.Type.FLOAT ? (Object) value.floatValue() : (Object) value.doubleValue();
            }
            case MAP -> convertMap(value, schema, path);
            case ARRAY -> convertArray(value, schema, path);
            default -> throw new InvalidRecordException(path, "has a type (" + schema.getType() + ") JSON input does not support");
        };
    }

    private static Object convertUnion(JsonNode value, Schema union, String path) {
        if (value.isNull()) {
            if (union.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL)) {
                return null;
            }
            throw new InvalidRecordException(path, "must not be null");
        }
        InvalidRecordException last = null;
        for (Schema branch : union.getTypes()) {
            if (branch.getType() == Schema.Type.NULL) {
                continue;
            }
            try {
                return convert(value, branch, path);
            } catch (InvalidRecordException e) {
                last = e;
            }
        }
        throw last != null ? last : new InvalidRecordException(path, "must be null");
    }

    private static Object convertLong(JsonNode value, LogicalType logicalType, String path) {
        boolean timestamp = logicalType instanceof LogicalTypes.TimestampMillis;
        if (timestamp && value.isTextual()) {
            try {
                return Instant.parse(value.textValue());
            } catch (DateTimeParseException e) {
                throw new InvalidRecordException(path, "must be an ISO-8601 instant such as 2026-11-20T10:00:00Z, or epoch milliseconds");
            }
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidRecordException(path, timestamp
                    ? "must be an ISO-8601 instant such as 2026-11-20T10:00:00Z, or epoch milliseconds"
                    : "must be a 64-bit integer");
        }
        return timestamp ? Instant.ofEpochMilli(value.longValue()) : (Object) value.longValue();
    }

    private static Map<String, Object> convertMap(JsonNode value, Schema schema, String path) {
        if (!value.isObject()) {
            throw new InvalidRecordException(path, "must be a JSON object");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        value.properties().forEach(entry -> {
            try {
                map.put(entry.getKey(), convert(entry.getValue(), schema.getValueType(), path + "." + entry.getKey()));
            } catch (InvalidRecordException e) {
                errors.addAll(e.errors());
            }
        });
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
        return map;
    }

    private static List<Object> convertArray(JsonNode value, Schema schema, String path) {
        if (!value.isArray()) {
            throw new InvalidRecordException(path, "must be a JSON array");
        }
        List<Object> list = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            list.add(convert(value.get(i), schema.getElementType(), path + "[" + i + "]"));
        }
        return list;
    }
}
