package io.tocsin.bench.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.schema.HostMetric;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The workload's bookkeeping against a reference model of the default rules (docs/alarms.md: an alarm opens when
 * a sample is above the warning level, 80 % or 5 % for swap, and ends at the first sample that is not): the events
 * the model produces, replaying the records in sending order, must be exactly the owed slots the workload
 * announced, each caused by the record the workload said.
 */
class WorkloadTest {

    /** What the reference model saw happen: which owed slot each transition carried. */
    record Transition(String series, boolean created, int slot) {
    }

    static List<Transition> replay(Workload workload, List<String> keys, List<RawAlarm> alarms) {
        Map<String, Boolean> open = new HashMap<>();
        List<Transition> transitions = new ArrayList<>();
        workload.emit(new Workload.Sink() {
            @Override
            public void sample(int round, String key, HostMetric sample, int owedSlot) {
                keys.add(key);
                assertThat(key).isEqualTo(sample.getHost());
                String series = sample.getHost() + "|" + sample.getMetric() + "|" + sample.getInstance();
                double warning = sample.getMetric().equals("host.swap.usage") ? 5 : 80;
                boolean above = sample.getValue() > warning;
                boolean wasOpen = open.getOrDefault(series, false);
                if (above != wasOpen) {
                    transitions.add(new Transition(series, above, owedSlot));
                    open.put(series, above);
                } else {
                    assertThat(owedSlot).as("a sample that changes nothing owes nothing: " + series + " round " + round).isEqualTo(-1);
                }
            }

            @Override
            public void rawAlarm(int round, String key, RawAlarm alarm, int owedSlot) {
                keys.add(key);
                alarms.add(alarm);
                assertThat(key).isEqualTo(alarm.getSource() + ":" + alarm.getAlarmId());
                transitions.add(new Transition(key, alarm.getState() == RawAlarmState.RAISED, owedSlot));
            }
        });
        assertThat(open.values()).as("every alarm the workload opens it also ends").doesNotContain(true);
        return transitions;
    }

    @Test
    void theOwedEventsAreExactlyWhatTheThresholdsProduceEachCausedByTheAnnouncedRecord() {
        Workload workload = new Workload("bench-t1-1", 7, 40, 25, 10);
        List<String> keys = new ArrayList<>();
        List<RawAlarm> alarms = new ArrayList<>();
        List<Transition> transitions = replay(workload, keys, alarms);

        assertThat(workload.samples()).isEqualTo(40 * 7 * 5);
        assertThat(workload.records()).isEqualTo(40 * 7 * 5 + 50).isEqualTo(keys.size());
        assertThat(transitions).hasSize(workload.owedEvents());
        BitSet slots = new BitSet();
        for (Transition t : transitions) {
            assertThat(t.slot()).isBetween(0, workload.owedEvents() - 1);
            assertThat(slots.get(t.slot())).as("slot %d announced twice", t.slot()).isFalse();
            slots.set(t.slot());
        }
        assertThat(slots.cardinality()).isEqualTo(workload.owedEvents());
        // Once every 10 rounds for 4 of the 5 series of each host, never in the last round: 3 or 4 crossings a series.
        assertThat(workload.crossingSamples()).isBetween(7 * 4 * 3L, 7 * 4 * 4L);
        assertThat(workload.metricEvents()).isEqualTo(2 * workload.crossingSamples());
        assertThat(transitions.stream().filter(t -> t.series().contains("/data"))).as("/data never crosses").isEmpty();
        assertThat(transitions.stream().filter(t -> t.series().contains("|")).map(t -> t.series().split("\\|")[1]).distinct())
                .containsExactlyInAnyOrder("host.cpu.usage", "host.ram.usage", "host.disk.usage", "host.swap.usage");
    }

    @Test
    void aSeriesCreatedAndEndedSlotsFollowItsBaseAndTheRawAlarmsComeAfterTheMetricOnes() {
        Workload workload = new Workload("bench-t1-2", 3, 30, 4, 5);
        List<Transition> transitions = replay(workload, new ArrayList<>(), new ArrayList<>());
        Map<String, List<Transition>> bySeries = new HashMap<>();
        transitions.forEach(t -> bySeries.computeIfAbsent(t.series(), k -> new ArrayList<>()).add(t));
        for (Map.Entry<String, List<Transition>> series : bySeries.entrySet()) {
            List<Transition> events = series.getValue();
            int base = events.getFirst().slot();
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).created()).as(series.getKey() + " alternates, CREATED first").isEqualTo(i % 2 == 0);
                assertThat(events.get(i).slot()).isEqualTo(base + i);
            }
            if (series.getKey().contains(":")) {
                int alarm = Integer.parseInt(series.getKey().substring(series.getKey().indexOf(':') + 1));
                assertThat(base).isEqualTo(workload.rawSlot(alarm, false)).isGreaterThanOrEqualTo(workload.metricEvents());
                assertThat(events).hasSize(2);
            } else {
                String[] parts = series.getKey().split("\\|");
                int host = workload.hostIndex(parts[0]);
                String type = switch (parts[1]) {
                    case "host.cpu.usage" -> "HostCpuUsage";
                    case "host.ram.usage" -> "HostRamUsage";
                    case "host.disk.usage" -> "HostDiskUsage";
                    default -> "HostSwapping";
                };
                int s = workload.seriesOf(host, Workload.crossingIndex(type));
                assertThat(base).isEqualTo(workload.seriesBase(s));
                assertThat(events).hasSize(workload.seriesEvents(s));
            }
        }
    }

    @Test
    void rawAlarmsAloneAreRaisedThenClearedAndEachHostNameMapsBack() {
        Workload workload = new Workload("bench-t1-3", 4, 0, 6, 0);
        List<RawAlarm> alarms = new ArrayList<>();
        List<Transition> transitions = replay(workload, new ArrayList<>(), alarms);

        assertThat(workload.samples()).isZero();
        assertThat(workload.owedEvents()).isEqualTo(12);
        assertThat(alarms).hasSize(12);
        assertThat(alarms.subList(0, 6)).allMatch(a -> a.getState() == RawAlarmState.RAISED && a.getType().equals(Workload.RAW_ALARM_TYPE)
                && a.getSeverity() == null && !a.getTitle().isBlank());
        assertThat(alarms.subList(6, 12)).allMatch(a -> a.getState() == RawAlarmState.CLEARED);
        assertThat(transitions.stream().map(Transition::slot).toList()).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        Set<Integer> hosts = new HashSet<>();
        alarms.forEach(a -> hosts.add(workload.hostIndex(a.getHostname())));
        assertThat(hosts).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(workload.hostIndex("bench-t1-3-h4")).as("out of range").isEqualTo(-1);
        assertThat(workload.hostIndex("bench-t1-30-h1")).as("another phase").isEqualTo(-1);
        assertThat(AlarmEventWatcher.tagOfHost("bench-t1-3-h17")).isEqualTo("bench-t1-3");
    }

    @Test
    void noCrossingMeansOnlyTheRawAlarmsAreOwed() {
        Workload workload = new Workload("bench-t1-4", 10, 20, 3, 0);
        List<Transition> transitions = replay(workload, new ArrayList<>(), new ArrayList<>());
        assertThat(workload.metricEvents()).isZero();
        assertThat(transitions).hasSize(6).allMatch(t -> t.series().contains(":"));
    }
}
