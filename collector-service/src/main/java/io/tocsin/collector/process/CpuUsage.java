package io.tocsin.collector.process;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * CPU % of one watched process between two checks, as {@code top} shows it: processor time used divided by
 * wall-clock time, in percent of ONE core. A process that keeps one core busy is at 100 %; a multi-threaded one
 * can go above 100 % (up to 100 × cores). When several processes match the process name (a master and its
 * workers), their percentages are summed.
 *
 * <p>Why one core: the default rules raise ProcessCpuUsage above 95 % (warning) and 99 % (critical) on average
 * over 15 minutes (seed 000, "CPU used on average by a process"). Measured per core, that means "this process has
 * kept a whole core busy for 15 minutes", the sign of a spinning single-threaded process (HAProxy, garbd, a stuck
 * script) on any machine. As a share of all cores a single-threaded process could never reach 95 % on a machine
 * with more than one core, and the rule would never fire.
 *
 * <p>A process seen for the first time has no previous sample; its share is its average since it started (what
 * {@code ps -o %cpu} shows), but only when it has run for {@link #MIN_AGE_MILLIS} or more: start times are known
 * to a second (Linux counts them from the boot time, which it gives in whole seconds), which would make the
 * average of a process started a moment ago meaningless. A younger process counts from the next check on. A
 * process that restarted (same pid, different start time) counts as new.
 *
 * <p>Not thread-safe: one instance per watched process, used by the monitor's thread only.
 */
final class CpuUsage {

    /** Age from which a process's average since its start is precise to about 2 % (1 s in 60 s). */
    static final long MIN_AGE_MILLIS = 60_000;

    private record Key(long pid, long startMillis) {
    }

    private record Sample(long cpuMillis, long atMillis) {
    }

    private Map<Key, Sample> previous = new HashMap<>();

    /**
     * The summed CPU % of {@code matches} at {@code nowMillis}, or empty when none of them can be measured yet (all
     * seen for the first time and younger than {@link #MIN_AGE_MILLIS}); remembers them for the next call and
     * forgets processes no longer matched.
     */
    OptionalDouble percent(List<ProcessTable.CpuTime> matches, long nowMillis) {
        Map<Key, Sample> current = new HashMap<>();
        double total = 0;
        boolean measured = false;
        for (ProcessTable.CpuTime process : matches) {
            Key key = new Key(process.pid(), process.startMillis());
            Sample before = previous.get(key);
            long cpu;
            long wall;
            if (before != null) {
                cpu = process.cpuMillis() - before.cpuMillis();
                wall = nowMillis - before.atMillis();
            } else {
                cpu = process.cpuMillis();
                wall = nowMillis - process.startMillis();
                if (wall < MIN_AGE_MILLIS) {
                    wall = 0; // Too young to trust its start time: measured from the next check on.
                }
            }
            if (wall > 0 && cpu >= 0) {
                total += 100.0 * cpu / wall;
                measured = true;
            }
            current.put(key, new Sample(process.cpuMillis(), nowMillis));
        }
        previous = current;
        return measured ? OptionalDouble.of(total) : OptionalDouble.empty();
    }
}
