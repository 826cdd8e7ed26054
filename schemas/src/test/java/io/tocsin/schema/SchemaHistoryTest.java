package io.tocsin.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.schema.wire.Codecs;
import io.tocsin.schema.wire.SchemaHistory;
import io.tocsin.schema.wire.WireFormat;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every released schema version stays decodable, and no schema changes without a new released version. */
class SchemaHistoryTest {

    static final Map<String, WireFormat<? extends SpecificRecordBase>> FORMATS = Map.ofEntries(
            Map.entry("RawAlarm", Codecs.RAW_ALARM), Map.entry("HostMetric", Codecs.HOST_METRIC),
            Map.entry("AlarmEvent", Codecs.ALARM_EVENT), Map.entry("AlarmState", Codecs.ALARM_STATE),
            Map.entry("Integration", Codecs.INTEGRATION), Map.entry("DeliveryRecord", Codecs.DELIVERY_RECORD),
            Map.entry("Silence", Codecs.SILENCE), Map.entry("HostStatus", Codecs.HOST_STATUS),
            Map.entry("SourceStatus", Codecs.SOURCE_STATUS), Map.entry("CloudCredential", Codecs.CLOUD_CREDENTIAL),
            Map.entry("BackupCompleted", Codecs.BACKUP_COMPLETED));

    static Stream<SchemaHistory.Version> versions() {
        return SchemaHistory.all().stream();
    }

    static Stream<String> records() {
        return FORMATS.keySet().stream().sorted();
    }

    @ParameterizedTest(name = "{0}: current schema is the latest released version")
    @MethodSource("records")
    void currentSchemaIsReleased(String record) {
        List<SchemaHistory.Version> released = SchemaHistory.of(record);
        assertThat(released).as("released versions of %s (add one under schema-history/ when the schema changes)", record).isNotEmpty();
        Schema current = org.apache.avro.specific.SpecificData.get().getSchema(FORMATS.get(record).type());
        Schema latest = released.getLast().schema();
        assertThat(SchemaNormalization.parsingFingerprint64(latest))
                .as("%s changed without a new schema-history version", record)
                .isEqualTo(SchemaNormalization.parsingFingerprint64(current));
    }

    @ParameterizedTest(name = "{0} v{1}")
    @MethodSource("versions")
    void everyReleasedVersionIsReadableByTheCurrentSchema(SchemaHistory.Version version) {
        WireFormat<? extends SpecificRecordBase> format = FORMATS.get(version.record());
        Schema current = org.apache.avro.specific.SpecificData.get().getSchema(format.type());
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, version.schema()).getType())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
    }

    @ParameterizedTest(name = "{0} v{1} decodes")
    @MethodSource("versions")
    void aRecordWrittenWithEveryReleasedVersionDecodes(SchemaHistory.Version version) throws Exception {
        GenericRecord written = SampleRecords.sample(version.schema());
        ByteBuffer bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), version.schema()).encode(written);
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);

        SpecificRecordBase decoded = FORMATS.get(version.record()).decode(array);

        for (Schema.Field field : version.schema().getFields()) {
            Object expected = written.get(field.name());
            Object actual = decoded.get(field.name());
            assertThat(String.valueOf(normalise(actual))).as("field %s", field.name()).isEqualTo(String.valueOf(normalise(expected)));
        }
    }

    private static Object normalise(Object value) {
        if (value instanceof java.time.Instant instant) {
            return instant.toEpochMilli();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(SchemaHistoryTest::normalise).toList();
        }
        if (value instanceof org.apache.avro.generic.IndexedRecord record) {
            // Nested records: a generic one as written, a specific one as decoded; compare field by field.
            Map<String, Object> fields = new java.util.LinkedHashMap<>();
            record.getSchema().getFields().forEach(f -> fields.put(f.name(), String.valueOf(normalise(record.get(f.pos())))));
            return fields;
        }
        return value;
    }
}
