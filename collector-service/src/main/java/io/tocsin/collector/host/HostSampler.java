package io.tocsin.collector.host;

import io.tocsin.collector.OnceLog;
import io.micrometer.core.instrument.Counter;
import io.tocsin.schema.HostMetric;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.VirtualMemory;
import oshi.software.os.OSFileStore;

/**
 * Reads the machine's metrics with OSHI and turns them into {@link HostMetric} samples (names and units:
 * DESIGN.md §4 and {@code docs/collectors.md}). CPU % and swap pages are deltas, so the sampler keeps the previous
 * reading: {@link #baseline()} takes the first one, every {@link #sample} measures since the one before.
 *
 * <p>Error contract: a value that cannot be read (OSHI throws, or returns an impossible value such as a negative
 * load average where the platform has none) is skipped and logged once until it reads again; the other values of
 * the same sample still go out. Not thread-safe: one collector thread calls it.
 */
public final class HostSampler {

    static final String CPU = "host.cpu.usage";
    static final String RAM = "host.ram.usage";
    static final String DISK = "host.disk.usage";
    static final String SWAP = "host.swap.usage";
    static final String SWAP_PAGES = "host.swap.pages";
    static final List<String> LOADS = List.of("host.load.1", "host.load.5", "host.load.15");

    private final SystemInfo system = new SystemInfo();
    private final String host;
    private final String cluster;
    private final MountFilter mounts;
    private final boolean networkMounts;
    private final Counter readFailures;
    private final OnceLog unreadable = new OnceLog(LoggerFactory.getLogger(HostSampler.class));
    private long[] previousCpuTicks;
    private long previousSwapPages = -1;

    public HostSampler(String host, String cluster, HostCollectorSettings settings, Counter readFailures) {
        this.host = host;
        this.cluster = cluster;
        this.mounts = MountFilter.of(settings);
        this.networkMounts = settings.networkMounts();
        this.readFailures = readFailures;
    }

    /** Takes the first reading of the counters the next sample is a delta of (CPU ticks, swap pages). */
    public void baseline() {
        read(CPU, () -> previousCpuTicks = processor().getSystemCpuLoadTicks());
        read(SWAP_PAGES, () -> previousSwapPages = swapPages(swap()));
    }

    /** Every value readable now, timestamped {@code at}. */
    public List<HostMetric> sample(Instant at) {
        Instant timestamp = at.truncatedTo(ChronoUnit.MILLIS);
        List<HostMetric> samples = new ArrayList<>();
        Consumer<HostMetric> out = samples::add;
        read(CPU, () -> cpu(timestamp, out));
        read(RAM, () -> {
            GlobalMemory memory = system.getHardware().getMemory();
            long total = memory.getTotal();
            long available = memory.getAvailable();
            require(total > 0 && available >= 0 && available <= total, "total " + total + ", available " + available);
            // Available, not free: the kernel's estimate of memory usable without swapping (page cache included).
            out.accept(metric(RAM, "", percent(total - available, total), timestamp));
        });
        read(SWAP, () -> {
            VirtualMemory swap = swap();
            long total = swap.getSwapTotal();
            long used = swap.getSwapUsed();
            require(total >= 0 && used >= 0, "total " + total + ", used " + used);
            out.accept(metric(SWAP, "", total == 0 ? 0 : percent(used, total), timestamp));
        });
        read(SWAP_PAGES, () -> swapPages(timestamp, out));
        read("host.load", () -> {
            double[] loads = processor().getSystemLoadAverage(3);
            require(loads.length == 3 && loads[0] >= 0 && loads[1] >= 0 && loads[2] >= 0,
                    "the platform has no load average (OSHI answered negative values)");
            for (int i = 0; i < 3; i++) {
                out.accept(metric(LOADS.get(i), "", round(loads[i]), timestamp));
            }
        });
        read(DISK, () -> disks(timestamp, out));
        return samples;
    }

    private void cpu(Instant timestamp, Consumer<HostMetric> out) {
        CentralProcessor processor = processor();
        long[] ticks = processor.getSystemCpuLoadTicks();
        long[] previous = previousCpuTicks;
        previousCpuTicks = ticks;
        require(previous != null, "no previous CPU reading yet (the next sample has one)");
        double load = processor.getSystemCpuLoadBetweenTicks(previous);
        require(load >= 0 && load <= 1, "load between ticks " + load);
        out.accept(metric(CPU, "", round(load * 100), timestamp));
    }

    private void swapPages(Instant timestamp, Consumer<HostMetric> out) {
        long pages = swapPages(swap());
        long previous = previousSwapPages;
        previousSwapPages = pages;
        require(previous >= 0, "no previous swap page count yet (the next sample has one)");
        require(pages >= previous, "the swap page counters went back (" + previous + " -> " + pages + ")");
        out.accept(metric(SWAP_PAGES, "", pages - previous, timestamp));
    }

    private void disks(Instant timestamp, Consumer<HostMetric> out) {
        Map<String, Double> usage = new LinkedHashMap<>();
        for (OSFileStore store : system.getOperatingSystem().getFileSystem().getFileStores(!networkMounts)) {
            String mount = store.getMount();
            Optional<String> reported = mount == null || mount.isEmpty() ? Optional.empty() : mounts.reportedAs(mount, store.getType());
            if (reported.isEmpty()) {
                continue;
            }
            long total = store.getTotalSpace();
            long used = total - store.getFreeSpace();
            long usable = store.getUsableSpace();
            if (total <= 0 || used < 0 || used + usable <= 0) {
                continue; // no blocks at all (an empty autofs point): nothing to fill up
            }
            // As df(1) computes Use%: blocks reserved for root count as unavailable, so 100 % means "full for users".
            usage.put(reported.get(), percent(used, used + usable));
        }
        require(!usage.isEmpty(), "no mount point passes the root prefix and the include/exclude patterns");
        usage.forEach((mount, value) -> out.accept(metric(DISK, mount, value, timestamp)));
    }

    private CentralProcessor processor() {
        return system.getHardware().getProcessor();
    }

    private VirtualMemory swap() {
        return system.getHardware().getMemory().getVirtualMemory();
    }

    private static long swapPages(VirtualMemory swap) {
        return swap.getSwapPagesIn() + swap.getSwapPagesOut();
    }

    private HostMetric metric(String name, String instance, double value, Instant timestamp) {
        return HostMetric.newBuilder().setHost(host).setCluster(cluster).setMetric(name).setInstance(instance)
                .setValue(value).setTimestamp(timestamp).setLabels(Map.of()).build();
    }

    /** Runs one reading; a failure is counted, logged once and skipped. */
    private void read(String what, Runnable reading) {
        try {
            reading.run();
            unreadable.succeeded(what, what + " can be read again");
        } catch (RuntimeException | LinkageError e) { // LinkageError: OSHI's native access (JNA) unavailable
            readFailures.increment();
            unreadable.failed(what, "Cannot read " + what + " of " + host + "; it is skipped", e);
        }
    }

    private static void require(boolean condition, String reason) {
        if (!condition) {
            throw new IllegalStateException(reason);
        }
    }

    private static double percent(long part, long whole) {
        return round(100.0 * part / whole);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
