package io.tocsin.schema;

import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Builds a record of any schema with a valid, non-default value in every field. */
final class SampleRecords {

    private SampleRecords() {
    }

    static GenericRecord sample(Schema schema) {
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            record.put(field.pos(), value(field.schema(), field.name()));
        }
        return record;
    }

    private static Object value(Schema schema, String name) {
        return switch (schema.getType()) {
            case UNION -> value(schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElseThrow(), name);
            case STRING -> name.equals("source") || name.equals("type") || name.equals("metric") ? "sample-" + name : "sample " + name;
            case ENUM -> new GenericData.EnumSymbol(schema, schema.getEnumSymbols().getFirst());
            case BOOLEAN -> true;
            case INT -> 7;
            case LONG -> 1_763_632_800_000L;
            case DOUBLE -> 42.5;
            case FLOAT -> 4.5f;
            case MAP -> Map.of("k", "v");
            case ARRAY -> List.of(value(schema.getElementType(), name));
            case RECORD -> sample(schema);
            default -> throw new IllegalArgumentException("no sample for " + schema);
        };
    }
}
