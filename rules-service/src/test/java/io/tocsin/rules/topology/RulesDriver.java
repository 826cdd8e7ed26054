package io.tocsin.rules.topology;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tocsin.rules.definition.RuleSet;
import io.tocsin.rules.definition.RulesLoader;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmState;
import io.tocsin.schema.HostMetric;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.Silence;
import io.tocsin.schema.topics.TopicCatalogue;
import io.tocsin.schema.wire.Codecs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The rules topology in a {@code TopologyTestDriver}, with explicit event times and a wall clock the test moves:
 * pipe samples, raw alarms and silences in, read alarm events out.
 */
public final class RulesDriver implements AutoCloseable {

    public static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    final TopicCatalogue topics = TopicCatalogue.withDefaultPrefix();
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> metrics;
    final TestInputTopic<byte[], byte[]> raw;
    final TestInputTopic<String, Silence> silences;
    final TestOutputTopic<String, AlarmEvent> events;
    final TestOutputTopic<String, AlarmState> open;
    final TestOutputTopic<byte[], byte[]> dlq;
    /** What the topology counted ({@link MeterRulesMetrics}, as the service counts). */
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    public RulesDriver() {
        this(RulesLoader.defaults(), TopologySettings.defaults());
    }

    public RulesDriver(RuleSet rules, TopologySettings settings) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "rules-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try {
            // Own state directory: drivers may run side by side (and other test JVMs on the same machine).
            props.put(StreamsConfig.STATE_DIR_CONFIG, java.nio.file.Files.createTempDirectory("rules-driver").toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        driver = new TopologyTestDriver(AlarmLifecycleTopology.build(topics, rules, settings, RulesMetrics.of(meters)), props, T0);
        metrics = driver.createInputTopic(topics.rawMetrics().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
        raw = driver.createInputTopic(topics.rawAlarms().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
        silences = driver.createInputTopic(topics.silences().name(), Serdes.String().serializer(), topics.silences().valueSerde().serializer());
        events = driver.createOutputTopic(topics.alarmEvents().name(), Serdes.String().deserializer(), topics.alarmEvents().valueSerde().deserializer());
        open = driver.createOutputTopic(topics.alarmsOpen().name(), Serdes.String().deserializer(), topics.alarmsOpen().valueSerde().deserializer());
        dlq = driver.createOutputTopic(topics.dlq().name(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    }

    /** A sample of {@code metric} of {@code host} (cluster prod) at {@code T0 + seconds}. */
    public static HostMetric sample(String host, String metric, String instance, double value, long seconds) {
        return HostMetric.newBuilder().setHost(host).setCluster("prod").setMetric(metric).setInstance(instance).setValue(value)
                .setTimestamp(T0.plusSeconds(seconds)).build();
    }

    public void metric(String host, String metric, double value, long seconds) {
        metric(sample(host, metric, "", value, seconds));
    }

    public void metric(HostMetric sample) {
        metrics.pipeInput(new TestRecord<>(sample.getHost().getBytes(StandardCharsets.UTF_8), Codecs.HOST_METRIC.encode(sample),
                sample.getTimestamp()));
    }

    public void alarm(RawAlarm alarm) {
        Instant at = alarm.getTimestamp() != null ? alarm.getTimestamp() : T0;
        raw.pipeInput(new TestRecord<>((alarm.getSource() + ":" + alarm.getAlarmId()).getBytes(StandardCharsets.UTF_8),
                Codecs.RAW_ALARM.encode(alarm), at));
    }

    public void silence(Silence silence) {
        silences.pipeInput(silence.getId(), silence);
    }

    /** Moves the wall clock (punctuations: heartbeats, silence releases, status flushes). */
    public void advanceWallClock(Duration by) {
        driver.advanceWallClockTime(by);
    }

    public List<AlarmEvent> events() {
        return events.readValuesToList();
    }

    public List<AlarmState> openStates() {
        return open.readValuesToList();
    }

    public <V> KeyValueStore<String, V> store(String name) {
        return driver.getKeyValueStore(name);
    }

    public long lateSamples() {
        return (long) meters.get(MeterRulesMetrics.LATE).counter().count();
    }

    @Override
    public void close() {
        driver.close();
    }
}
