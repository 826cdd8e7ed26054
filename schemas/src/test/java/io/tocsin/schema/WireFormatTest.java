package io.tocsin.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tocsin.schema.topics.TopicCatalogue;
import io.tocsin.schema.wire.Codecs;
import io.tocsin.schema.wire.FieldError;
import io.tocsin.schema.wire.InvalidRecordException;
import io.tocsin.schema.wire.JsonRecordReader;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    static final String RAISE = """
            {"source": "cc-1", "alarmId": "470", "state": "RAISED", "type": "MySqlDisconnected",
             "severity": "CRITICAL", "component": "Node", "cluster": "prod-galera", "hostname": "192.168.20.62",
             "title": "Server disconnected", "message": "m", "recommendation": "r",
             "timestamp": "2026-11-20T10:00:00Z", "labels": {"dc": "eu1"}}
            """;

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void avroSingleObjectRoundTrip() {
        RawAlarm alarm = Codecs.RAW_ALARM.decode(utf8(RAISE));
        byte[] bytes = Codecs.RAW_ALARM.encode(alarm);
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(Codecs.RAW_ALARM.decode(bytes)).isEqualTo(alarm);
    }

    @Test
    void jsonOfTheNativeShapeDecodes() {
        RawAlarm alarm = Codecs.RAW_ALARM.decode(utf8(RAISE));
        assertThat(alarm.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(alarm.getTimestamp()).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
        assertThat(alarm.getLabels()).isEqualTo(Map.of("dc", "eu1"));
        assertThat(AlarmKeys.of(alarm)).isEqualTo("cc-1:470");
    }

    @Test
    void optionalFieldsTakeTheirDefaults() {
        RawAlarm clear = Codecs.RAW_ALARM.decode(utf8("{\"source\":\"cc-1\",\"alarmId\":\"470\",\"state\":\"CLEARED\"}"));
        assertThat(clear.getSeverity()).isNull();
        assertThat(clear.getTitle()).isEmpty();
        assertThat(clear.getLabels()).isEmpty();
    }

    @Test
    void errorsNameEveryOffendingField() {
        assertThatThrownBy(() -> Codecs.RAW_ALARM.decode(utf8("{\"source\":\"cc:1\",\"state\":\"OPEN\",\"timestamp\":\"yesterday\"}")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .contains("alarmId", "state", "timestamp"));
        assertThatThrownBy(() -> Codecs.RAW_ALARM.decode(utf8("{\"source\":\"cc:1\",\"alarmId\":\"1\",\"state\":\"RAISED\"}")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("source", "type", "title"));
    }

    @Test
    void unknownFieldsAreRejectedAtTheEdgeAndIgnoredOnTopics() throws Exception {
        var node = new ObjectMapper().readTree("{\"source\":\"a\",\"alarmId\":\"1\",\"state\":\"CLEARED\",\"sevrity\":\"WARNING\"}");
        var reader = new JsonRecordReader<>(RawAlarm.class);
        var validator = new io.tocsin.schema.validation.RawAlarmValidator();
        assertThatThrownBy(() -> reader.readAll(node, validator, true))
                .isInstanceOfSatisfying(InvalidRecordException.class,
                        e -> assertThat(e.errors()).containsExactly(new FieldError("sevrity", "unknown field")));
        assertThat(reader.readAll(node, validator, false)).extracting(RawAlarm::getAlarmId).containsExactly("1");
        assertThatThrownBy(() -> Codecs.RAW_ALARM.decodeAll(utf8("[]"))).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("at least one record");
    }

    @Test
    void aJsonArrayGivesOneRecordPerElementOrNamesTheBadElement() {
        String two = "[" + RAISE + ",{\"source\":\"cc-1\",\"alarmId\":\"471\",\"state\":\"CLEARED\"}]";
        assertThat(Codecs.RAW_ALARM.decodeAll(utf8(two))).extracting(RawAlarm::getAlarmId).containsExactly("470", "471");
        String bad = "[" + RAISE + ",{\"source\":\"cc-1\",\"alarmId\":\"471\",\"state\":\"GONE\"}]";
        assertThatThrownBy(() -> Codecs.RAW_ALARM.decodeAll(utf8(bad)))
                .isInstanceOfSatisfying(InvalidRecordException.class,
                        e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("[1].state"));
    }

    @Test
    void garbageIsReportedNotThrownAsSomethingElse() {
        assertThatThrownBy(() -> Codecs.RAW_ALARM.decode(utf8("not json"))).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("neither Avro single-object encoding nor valid JSON");
        byte[] unknownFingerprint = {(byte) 0xC3, 1, 1, 2, 3, 4, 5, 6, 7, 8, 0};
        assertThatThrownBy(() -> Codecs.RAW_ALARM.decode(unknownFingerprint)).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("unknown schema");
        assertThatThrownBy(() -> Codecs.ALARM_EVENT.decode(utf8("{}"))).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("not Avro single-object encoding");
    }

    @Test
    void topicNamesCarryThePrefix() {
        TopicCatalogue topics = new TopicCatalogue("acme.");
        assertThat(topics.all()).extracting(t -> t.name()).containsExactly("acme.raw.metrics", "acme.raw.alarms", "acme.alarm-events",
                "acme.alarms.open", "acme.integrations", "acme.deliveries", "acme.dlq", "acme.cloud.credentials", "acme.silences",
                "acme.backups");
        assertThat(topics.alarmsOpen().compacted()).isTrue();
        assertThat(topics.rawAlarms().configs()).containsEntry("retention.ms", "604800000");
        assertThatThrownBy(() -> new TopicCatalogue("bad prefix ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(List.of(TopicCatalogue.withDefaultPrefix().dlq().name())).containsExactly("tocsin.dlq");
    }
}
