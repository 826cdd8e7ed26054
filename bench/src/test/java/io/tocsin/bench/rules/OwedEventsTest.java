package io.tocsin.bench.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.HostMetric;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Matching alarm events to the owed ones: counts, duplicates, unexpected events and latency. */
class OwedEventsTest {

    /** A workload whose host 0 CPU series crosses at least twice, with two raw alarms. */
    final Workload workload = new Workload("bench-o1-1", 2, 12, 2, 4);
    final int cpu0 = workload.seriesOf(0, Workload.crossingIndex("HostCpuUsage"));

    static AlarmEvent event(String source, String alarmId, String type, String host, AlarmEventStatus status) {
        return AlarmEvent.newBuilder().setEventId(source + ":" + alarmId + "/1/1").setAlarmKey(source + ":" + alarmId).setSource(source)
                .setAlarmId(alarmId).setStatus(status).setSeverity(Severity.CRITICAL).setType(type).setComponent("Host")
                .setHostname(host).setOpenedAt(Instant.EPOCH).setEventTime(Instant.EPOCH).setSequence(1).build();
    }

    AlarmEvent cpu(AlarmEventStatus status) {
        return event("rules", "cpu-h0", "HostCpuUsage", workload.host(0), status);
    }

    AlarmEvent raw(int n, AlarmEventStatus status) {
        return event(workload.tag(), Integer.toString(n), Workload.RAW_ALARM_TYPE, workload.host(n % 2), status);
    }

    /** Records the send time of every owed slot as the sender would, all at {@code at}. */
    OwedEvents sentAt(long at) {
        OwedEvents owed = new OwedEvents(workload);
        workload.emit(new Workload.Sink() {
            @Override
            public void sample(int round, String key, HostMetric sample, int owedSlot) {
                if (owedSlot >= 0) {
                    owed.sent(owedSlot, at);
                }
            }

            @Override
            public void rawAlarm(int round, String key, RawAlarm alarm, int owedSlot) {
                owed.sent(owedSlot, at);
            }
        });
        return owed;
    }

    @Test
    void everyOwedEventOnceIsCompleteWithOneLatencyEach() {
        long sent = OwedEvents.now();
        OwedEvents owed = sentAt(sent);
        assertThat(workload.seriesEvents(cpu0)).isGreaterThanOrEqualTo(4);
        assertThat(owed.complete()).isFalse();
        assertThat(owed.lost()).isEqualTo(workload.owedEvents());

        long receipt = sent + TimeUnit.MILLISECONDS.toNanos(40);
        for (int host = 0; host < 2; host++) {
            for (String type : List.of("HostCpuUsage", "HostRamUsage", "HostDiskUsage", "HostSwapping")) {
                int s = workload.seriesOf(host, Workload.crossingIndex(type));
                for (int i = 0; i < workload.seriesEvents(s); i++) {
                    AlarmEventStatus status = i % 2 == 0 ? AlarmEventStatus.CREATED : AlarmEventStatus.ENDED;
                    assertThat(owed.received(event("rules", type + host, type, workload.host(host), status), receipt)).isTrue();
                }
            }
        }
        for (int n = 0; n < 2; n++) {
            assertThat(owed.received(raw(n, AlarmEventStatus.CREATED), receipt)).isTrue();
            assertThat(owed.received(raw(n, AlarmEventStatus.ENDED), receipt)).isTrue();
        }

        assertThat(owed.complete()).isTrue();
        assertThat(owed.matched()).isEqualTo(workload.owedEvents());
        assertThat(owed.lost()).isZero();
        assertThat(owed.duplicated()).isZero();
        assertThat(owed.unexpected()).isZero();
        assertThat(owed.latencyMicros().getTotalCount()).isEqualTo(workload.owedEvents());
        assertThat(owed.latencyMicros().getValueAtPercentile(50) / 1000.0).isBetween(39.9, 40.1);
    }

    @Test
    void aRepeatedStatusIsADuplicateAndAnythingOutOfTurnIsUnexpected() {
        OwedEvents owed = sentAt(OwedEvents.now());
        long now = OwedEvents.now();

        owed.received(cpu(AlarmEventStatus.ENDED), now);
        assertThat(owed.unexpected()).as("ENDED before any CREATED").isEqualTo(1);
        owed.received(cpu(AlarmEventStatus.CREATED), now);
        owed.received(cpu(AlarmEventStatus.CREATED), now);
        assertThat(owed.duplicated()).as("opened twice").isEqualTo(1);
        owed.received(cpu(AlarmEventStatus.UPDATED), now);
        assertThat(owed.unexpected()).as("the workload never escalates").isEqualTo(2);
        owed.received(cpu(AlarmEventStatus.ENDED), now);
        owed.received(cpu(AlarmEventStatus.ENDED), now);
        assertThat(owed.duplicated()).as("ended twice").isEqualTo(2);
        for (int i = 2; i < workload.seriesEvents(cpu0); i++) {
            owed.received(cpu(i % 2 == 0 ? AlarmEventStatus.CREATED : AlarmEventStatus.ENDED), now);
        }
        owed.received(cpu(AlarmEventStatus.CREATED), now);
        assertThat(owed.unexpected()).as("a crossing more than the workload made").isEqualTo(3);
        assertThat(owed.matched()).isEqualTo(workload.seriesEvents(cpu0));

        owed.received(raw(1, AlarmEventStatus.CREATED), now);
        owed.received(raw(1, AlarmEventStatus.CREATED), now);
        assertThat(owed.duplicated()).isEqualTo(3);
        owed.received(raw(1, AlarmEventStatus.UPDATED), now);
        assertThat(owed.unexpected()).isEqualTo(4);
        assertThat(owed.lost()).isEqualTo(workload.owedEvents() - workload.seriesEvents(cpu0) - 1);
    }

    @Test
    void eventsOfOtherHostsTypesAndAlarmsAreNotThisPhases() {
        OwedEvents owed = sentAt(OwedEvents.now());
        long now = OwedEvents.now();
        List<AlarmEvent> others = new ArrayList<>(List.of(
                event("rules", "x", "HostCpuUsage", "bench-o1-2-h0", AlarmEventStatus.CREATED),
                event("rules", "x", "HostCpuUsage", workload.host(2), AlarmEventStatus.CREATED),
                event("rules", "x", "HostHeartbeatLost", workload.host(0), AlarmEventStatus.CREATED),
                event(workload.tag(), "2", Workload.RAW_ALARM_TYPE, workload.host(0), AlarmEventStatus.CREATED),
                event(workload.tag(), "one", Workload.RAW_ALARM_TYPE, workload.host(0), AlarmEventStatus.CREATED),
                event("bench-o1-2", "0", Workload.RAW_ALARM_TYPE, "db1", AlarmEventStatus.CREATED)));
        for (AlarmEvent other : others) {
            assertThat(owed.received(other, now)).as(other.getSource() + " " + other.getAlarmId() + " " + other.getHostname()).isFalse();
        }
        assertThat(owed.matched()).isZero();
        assertThat(owed.duplicated()).isZero();
        assertThat(owed.unexpected()).isZero();
    }
}
