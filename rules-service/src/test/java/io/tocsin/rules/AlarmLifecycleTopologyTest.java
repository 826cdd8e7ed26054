package io.tocsin.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.common.dlq.DeadLetterHeaders;
import io.tocsin.rules.definition.RulesLoader;
import io.tocsin.rules.topology.AlarmLifecycleTopology;
import io.tocsin.rules.topology.RulesMetrics;
import io.tocsin.rules.topology.TopologySettings;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.AlarmState;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.Severity;
import io.tocsin.schema.topics.TopicCatalogue;
import io.tocsin.schema.wire.Codecs;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlarmLifecycleTopologyTest {

    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    TopicCatalogue topics = TopicCatalogue.withDefaultPrefix();
    TopologyTestDriver driver;
    TestInputTopic<byte[], byte[]> raw;
    TestOutputTopic<String, AlarmEvent> events;
    TestOutputTopic<String, AlarmState> open;
    TestOutputTopic<byte[], byte[]> dlq;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "rules-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try {
            props.put(StreamsConfig.STATE_DIR_CONFIG, java.nio.file.Files.createTempDirectory("lifecycle-test").toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        driver = new TopologyTestDriver(AlarmLifecycleTopology.build(topics, RulesLoader.defaults(), TopologySettings.defaults(), RulesMetrics.NONE), props);
        raw = driver.createInputTopic(topics.rawAlarms().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
        events = driver.createOutputTopic(topics.alarmEvents().name(), Serdes.String().deserializer(), topics.alarmEvents().valueSerde().deserializer());
        open = driver.createOutputTopic(topics.alarmsOpen().name(), Serdes.String().deserializer(), topics.alarmsOpen().valueSerde().deserializer());
        dlq = driver.createOutputTopic(topics.dlq().name(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    static RawAlarm alarm(String id, RawAlarmState state) {
        return RawAlarm.newBuilder().setSource("cc-1").setAlarmId(id).setState(state).setType("MySqlDisconnected")
                .setCluster("prod-galera").setHostname("192.168.20.62").setTitle("Server disconnected")
                .setMessage("PostgreSQL server disconnected").setRecommendation("Check node status").build();
    }

    void send(RawAlarm alarm, Instant at) {
        raw.pipeInput(new TestRecord<>(utf8(alarm.getSource() + ":" + alarm.getAlarmId()), Codecs.RAW_ALARM.encode(alarm), at));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void duplicateRaisesGiveOneCreatedAndTheClearOneEnded() {
        send(alarm("470", RawAlarmState.RAISED), T0);
        send(alarm("470", RawAlarmState.RAISED), T0.plusSeconds(5));
        send(alarm("470", RawAlarmState.CLEARED), T0.plusSeconds(60));
        send(alarm("470", RawAlarmState.CLEARED), T0.plusSeconds(61));

        List<AlarmEvent> out = events.readValuesToList();
        assertThat(out).extracting(AlarmEvent::getStatus).containsExactly(AlarmEventStatus.CREATED, AlarmEventStatus.ENDED);
        AlarmEvent created = out.get(0);
        AlarmEvent ended = out.get(1);
        assertThat(created.getAlarmKey()).isEqualTo("cc-1:470");
        assertThat(created.getSeverity()).as("catalogue severity of MySqlDisconnected").isEqualTo(Severity.CRITICAL);
        assertThat(created.getComponent()).isEqualTo("Node");
        assertThat(created.getCategories()).containsExactly("Node");
        assertThat(created.getOpenedAt()).isEqualTo(T0);
        assertThat(ended.getTitle()).isEqualTo(created.getTitle());
        assertThat(ended.getEventTime()).isEqualTo(T0.plusSeconds(60));
        assertThat(ended.getEventId()).isNotEqualTo(created.getEventId());

        var states = open.readKeyValuesToList();
        assertThat(states).hasSize(2);
        assertThat(states.get(0).value.getAlarmKey()).isEqualTo("cc-1:470");
        assertThat(states.get(1).value).as("tombstone once ended").isNull();
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void aClearOfAnUnknownAlarmGivesNothingAndARaiseAfterEndedOpensANewOne() {
        send(alarm("9", RawAlarmState.CLEARED), T0);
        assertThat(events.isEmpty()).isTrue();
        send(alarm("9", RawAlarmState.RAISED), T0.plusSeconds(1));
        send(alarm("9", RawAlarmState.CLEARED), T0.plusSeconds(2));
        send(alarm("9", RawAlarmState.RAISED), T0.plusSeconds(3));
        List<AlarmEvent> out = events.readValuesToList();
        assertThat(out).extracting(AlarmEvent::getStatus)
                .containsExactly(AlarmEventStatus.CREATED, AlarmEventStatus.ENDED, AlarmEventStatus.CREATED);
        assertThat(out.get(2).getOpenedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(out.get(2).getEventId()).isNotEqualTo(out.get(0).getEventId());
    }

    @Test
    void aChangedSeverityIsAnUpdateAndTheSourceSeverityWins() {
        send(alarm("5", RawAlarmState.RAISED), T0);
        RawAlarm warning = RawAlarm.newBuilder(alarm("5", RawAlarmState.RAISED)).setSeverity(Severity.WARNING).build();
        send(warning, T0.plusSeconds(1));
        send(warning, T0.plusSeconds(2));
        List<AlarmEvent> out = events.readValuesToList();
        assertThat(out).extracting(AlarmEvent::getStatus).containsExactly(AlarmEventStatus.CREATED, AlarmEventStatus.UPDATED);
        assertThat(out.get(1).getSeverity()).isEqualTo(Severity.WARNING);
        assertThat(out.get(1).getSequence()).isEqualTo(2);
        assertThat(out.get(1).getOpenedAt()).isEqualTo(T0);
    }

    @Test
    void jsonWithoutAKeyIsRekeyedAndAJsonArrayGivesOneEventPerAlarm() {
        String json = """
                [{"source":"am-1","alarmId":"fp1","state":"RAISED","type":"HostCpuUsage","title":"CPU high","hostname":"db1"},
                 {"source":"am-1","alarmId":"fp2","state":"RAISED","type":"SomethingNew","component":"Backup","title":"new"}]""";
        raw.pipeInput(new TestRecord<>(null, utf8(json), T0));
        List<org.apache.kafka.streams.KeyValue<String, AlarmEvent>> out = events.readKeyValuesToList();
        assertThat(out).extracting(kv -> kv.key).containsExactly("am-1:fp1", "am-1:fp2");
        assertThat(out.get(0).value.getSeverity()).isEqualTo(Severity.WARNING);
        assertThat(out.get(0).value.getCategories()).containsExactly("Host");
        assertThat(out.get(1).value.getCategories()).as("unknown type: category of its component").containsExactly("Backup");
    }

    @Test
    void anUndecodableRecordGoesToTheDlqWithItsErrorAndTheNextOneIsProcessed() {
        raw.pipeInput(new TestRecord<>(utf8("k"), utf8("{not json"), T0));
        raw.pipeInput(new TestRecord<>(utf8("cc-1:1"), utf8("{\"source\":\"cc-1\",\"alarmId\":\"1\",\"state\":\"RAISED\"}"), T0));
        send(alarm("2", RawAlarmState.RAISED), T0.plusSeconds(1));

        var dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(2);
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(dead.get(0).key()).isEqualTo(utf8("k"));
        Map<String, String> headers = new java.util.HashMap<>();
        dead.get(0).headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
        assertThat(headers).containsEntry(DeadLetterHeaders.SOURCE_TOPIC, "tocsin.raw.alarms")
                .containsEntry(DeadLetterHeaders.SOURCE_PARTITION, "0")
                .containsEntry(DeadLetterHeaders.SOURCE_OFFSET, "0")
                .containsEntry(DeadLetterHeaders.STAGE, "rules/raw-alarm-decoder")
                .containsEntry(DeadLetterHeaders.ERROR_CLASS, "io.tocsin.schema.wire.InvalidRecordException");
        assertThat(headers.get(DeadLetterHeaders.ERROR_MESSAGE)).contains("neither Avro single-object encoding nor valid JSON");
        assertThat(DeadLetterHeaders.text(dead.get(1).headers(), DeadLetterHeaders.ERROR_MESSAGE)).contains("type: must not be empty", "title");
        assertThat(events.readValuesToList()).extracting(AlarmEvent::getAlarmId).containsExactly("2");
    }
}
