package io.tocsin.rules.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.tocsin.common.dlq.DeadLetterHeaders;
import io.tocsin.common.dlq.DeadLetterMeter;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.Severity;
import io.tocsin.schema.Silence;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The topology's counts ({@link MeterRulesMetrics}) agree with what it writes: events by status, severity and
 * silenced as read back from {@code tocsin.alarm-events}, dead letters by stage and source topic as read back from
 * {@code tocsin.dlq}; and every series exists at zero before the first record.
 */
class RulesMetricsTopologyTest {

    RulesDriver tocsin = new RulesDriver();

    @AfterEach
    void close() {
        tocsin.close();
    }

    static RawAlarm alarm(String id, String cluster, RawAlarmState state, Severity severity, long seconds) {
        return RawAlarm.newBuilder().setSource("cc-1").setAlarmId(id).setState(state).setType("MySqlDisconnected").setSeverity(severity)
                .setCluster(cluster).setHostname("db1").setTitle("Server disconnected").setTimestamp(RulesDriver.T0.plusSeconds(seconds)).build();
    }

    /** Counter values by "status severity silenced", zeros left out. */
    Map<String, Long> eventCounts() {
        return tocsin.meters.find(MeterRulesMetrics.EVENTS).counters().stream().filter(c -> c.count() > 0)
                .collect(Collectors.toMap(c -> c.getId().getTag("status") + " " + c.getId().getTag("severity") + " " + c.getId().getTag("silenced"),
                        c -> (long) c.count(), Long::sum, TreeMap::new));
    }

    static Map<String, Long> tally(List<AlarmEvent> events) {
        return events.stream().collect(Collectors.groupingBy(e -> e.getStatus() + " " + e.getSeverity() + " " + e.getSilenced(),
                TreeMap::new, Collectors.counting()));
    }

    double deadLetters(String stage, String topic) {
        return tocsin.meters.get(DeadLetterMeter.NAME).tags("service", "rules", "stage", stage, "topic", topic).counter().count();
    }

    @Test
    void everySeriesExistsAtZeroBeforeTheFirstRecord() {
        List<Counter> events = new ArrayList<>(tocsin.meters.find(MeterRulesMetrics.EVENTS).counters());
        assertThat(events).as("3 statuses x 2 severities x silenced or not").hasSize(12).allMatch(c -> c.count() == 0);
        assertThat(events).extracting(c -> c.getId().getTag("status") + " " + c.getId().getTag("severity") + " " + c.getId().getTag("silenced"))
                .contains("CREATED WARNING false", "UPDATED CRITICAL true", "ENDED CRITICAL false");
        assertThat(tocsin.meters.find(DeadLetterMeter.NAME).counters()).extracting(c -> c.getId().getTag("stage") + " " + c.getId().getTag("topic"))
                .containsExactlyInAnyOrder("rules/raw-alarm-decoder tocsin.raw.alarms", "rules/metric-decoder tocsin.raw.metrics");
        assertThat(deadLetters(AlarmLifecycleTopology.RAW_ALARM_STAGE, "tocsin.raw.alarms")).isZero();
        assertThat(tocsin.lateSamples()).isZero();
    }

    @Test
    void eventsAreCountedByStatusSeverityAndSilencedAsTheyAreWritten() {
        tocsin.silence(Silence.newBuilder().setId("s1").setCluster("quiet").setStartsAt(RulesDriver.T0).setEndsAt(RulesDriver.T0.plusSeconds(600))
                .setAuthor("ops").setCreatedAt(RulesDriver.T0).build());
        tocsin.alarm(alarm("1", "prod", RawAlarmState.RAISED, Severity.WARNING, 0));
        tocsin.alarm(alarm("1", "prod", RawAlarmState.RAISED, Severity.WARNING, 10)); // a duplicate: no event, no count
        tocsin.alarm(alarm("1", "prod", RawAlarmState.RAISED, Severity.CRITICAL, 20));
        tocsin.alarm(alarm("1", "prod", RawAlarmState.CLEARED, null, 30));
        tocsin.alarm(alarm("2", "prod", RawAlarmState.RAISED, Severity.CRITICAL, 40));
        tocsin.alarm(alarm("3", "quiet", RawAlarmState.RAISED, Severity.WARNING, 50));
        List<AlarmEvent> written = new ArrayList<>(tocsin.events());
        // The silence ends: the punctuation releases alarm 3 with a CREATED that is delivered, counted as well.
        tocsin.advanceWallClock(Duration.ofSeconds(610));
        written.addAll(tocsin.events());

        assertThat(tally(written)).as("what the topology wrote").isEqualTo(Map.of(
                "CREATED WARNING false", 2L, "UPDATED CRITICAL false", 1L, "ENDED CRITICAL false", 1L,
                "CREATED CRITICAL false", 1L, "CREATED WARNING true", 1L));
        assertThat(eventCounts()).isEqualTo(tally(written));
    }

    @Test
    void deadLettersAreCountedByStageAndSourceTopicAsTheDlqHoldsThem() {
        byte[] bad = "not a record".getBytes(StandardCharsets.UTF_8);
        tocsin.raw.pipeInput("cc-1:1".getBytes(StandardCharsets.UTF_8), bad);
        tocsin.raw.pipeInput("cc-1:2".getBytes(StandardCharsets.UTF_8), "{\"source\": \"cc-1\"}".getBytes(StandardCharsets.UTF_8));
        tocsin.metrics.pipeInput("db1".getBytes(StandardCharsets.UTF_8), bad);
        tocsin.alarm(alarm("1", "prod", RawAlarmState.RAISED, Severity.WARNING, 0));

        Map<String, Long> inDlq = tocsin.dlq.readRecordsToList().stream().collect(Collectors.groupingBy(
                r -> DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.STAGE) + " " + DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.SOURCE_TOPIC),
                TreeMap::new, Collectors.counting()));
        assertThat(inDlq).isEqualTo(Map.of("rules/raw-alarm-decoder tocsin.raw.alarms", 2L, "rules/metric-decoder tocsin.raw.metrics", 1L));
        assertThat(deadLetters(AlarmLifecycleTopology.RAW_ALARM_STAGE, "tocsin.raw.alarms")).isEqualTo(2.0);
        assertThat(deadLetters(AlarmLifecycleTopology.METRIC_STAGE, "tocsin.raw.metrics")).isEqualTo(1.0);
        assertThat(eventCounts()).as("the good record after them").isEqualTo(Map.of("CREATED WARNING false", 1L));
    }
}
