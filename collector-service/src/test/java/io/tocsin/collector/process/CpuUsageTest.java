package io.tocsin.collector.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** CPU % of one core, as top shows it: deltas between checks, lifetime average at first sight, matches summed. */
class CpuUsageTest {

    static final long MINUTE = 60_000;

    static ProcessTable.CpuTime proc(long pid, long start, long cpuMillis) {
        return new ProcessTable.CpuTime(pid, start, cpuMillis);
    }

    @Test
    void firstSightIsTheAverageSinceStartThenTheShareBetweenChecks() {
        CpuUsage usage = new CpuUsage();
        // Started at t=0, used 20 s of CPU in 100 s: 20 %.
        assertThat(usage.percent(List.of(proc(10, 0, 20_000)), 100_000)).hasValueCloseTo(20.0, within(1e-9));
        // Then 4.5 s more CPU in the next 5 s: 90 %.
        assertThat(usage.percent(List.of(proc(10, 0, 24_500)), 105_000)).hasValueCloseTo(90.0, within(1e-9));
    }

    @Test
    void aProcessTooYoungForItsStartTimeIsMeasuredFromTheNextCheckOn() {
        CpuUsage usage = new CpuUsage();
        // Started 200 ms ago (start times are known to a second only): no value yet.
        assertThat(usage.percent(List.of(proc(5, 10_000, 150)), 10_200)).isEmpty();
        assertThat(usage.percent(List.of(proc(5, 10_000, 350)), 10_400)).hasValueCloseTo(100.0, within(1e-9));
    }

    @Test
    void severalMatchingProcessesAreSummedAndMayExceedOneCore() {
        CpuUsage usage = new CpuUsage();
        usage.percent(List.of(proc(1, 0, 0), proc(2, 0, 0)), MINUTE);
        // Two workers, each kept a core busy for the 2 s since the last check: 200 % of one core.
        assertThat(usage.percent(List.of(proc(1, 0, 2_000), proc(2, 0, 2_000)), MINUTE + 2_000)).hasValueCloseTo(200.0, within(1e-9));
        // A third, new and young worker adds nothing until the next check; the others still count.
        assertThat(usage.percent(List.of(proc(1, 0, 3_000), proc(2, 0, 3_000), proc(3, MINUTE + 2_500, 400)), MINUTE + 3_000))
                .hasValueCloseTo(200.0, within(1e-9));
    }

    @Test
    void aRestartedProcessWithTheSamePidCountsAsNew() {
        CpuUsage usage = new CpuUsage();
        usage.percent(List.of(proc(7, 0, 90_000)), 100_000);
        // Same pid, new start time at t=100 s, 1 s of CPU by t=102 s: too young, then measured by delta.
        assertThat(usage.percent(List.of(proc(7, 100_000, 1_000)), 102_000)).isEmpty();
        assertThat(usage.percent(List.of(proc(7, 100_000, 1_500)), 103_000)).hasValueCloseTo(50.0, within(1e-9));
        assertThat(usage.percent(List.of(), 104_000)).isEmpty();
    }
}
