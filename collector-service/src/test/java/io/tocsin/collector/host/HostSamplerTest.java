package io.tocsin.collector.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tocsin.schema.HostMetric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sampler against this machine's real OSHI readings (no Kafka): what is read, and what the filters keep. */
class HostSamplerTest {

    final Counter failures = new SimpleMeterRegistry().counter("failures");

    static HostCollectorSettings settings(List<String> include, List<String> exclude) {
        return new HostCollectorSettings(true, Duration.ofSeconds(1), include, exclude,
                List.of(HostCollectorSettings.DEFAULT_EXCLUDED_FS_TYPES.split(",")), false, "");
    }

    List<HostMetric> sampleOnce(HostCollectorSettings settings) throws InterruptedException {
        HostSampler sampler = new HostSampler("this-host", "lab", settings, failures);
        sampler.baseline();
        Thread.sleep(200);
        return sampler.sample(Instant.parse("2026-11-20T10:00:00.123456Z"));
    }

    /** Mount point to file-system type, as the kernel lists them (the last mount of a point wins, as it hides the others). */
    static Map<String, String> kernelMounts() throws Exception {
        Map<String, String> types = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
            String[] fields = line.split(" ");
            types.put(fields[1].replace("\\040", " "), fields[2]);
        }
        return types;
    }

    @Test
    void everyMetricIsReadWithTheHostClusterAndSampleTime() throws Exception {
        List<HostMetric> samples = sampleOnce(settings(List.of(), List.of()));
        assertThat(samples).extracting(HostMetric::getMetric).contains("host.cpu.usage", "host.ram.usage", "host.disk.usage",
                "host.swap.usage", "host.swap.pages", "host.load.1", "host.load.5", "host.load.15");
        assertThat(samples).allSatisfy(sample -> {
            assertThat(sample.getHost()).isEqualTo("this-host");
            assertThat(sample.getCluster()).isEqualTo("lab");
            assertThat(sample.getTimestamp()).as("millisecond precision, as the schema keeps it").isEqualTo(Instant.parse("2026-11-20T10:00:00.123Z"));
            assertThat(Double.isFinite(sample.getValue())).isTrue();
            assertThat(sample.getValue()).isGreaterThanOrEqualTo(0);
        });
        assertThat(failures.count()).as("nothing unreadable on Linux").isZero();

        Map<String, String> kernel = kernelMounts();
        List<String> disks = samples.stream().filter(s -> s.getMetric().equals("host.disk.usage")).map(HostMetric::getInstance).toList();
        assertThat(disks).contains("/").doesNotHaveDuplicates();
        assertThat(disks).allSatisfy(mount -> assertThat(kernel.get(mount)).as(mount)
                .isNotIn("proc", "sysfs", "tmpfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "squashfs"));

        long swapTotalKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("SwapTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElseThrow();
        double swapUsage = samples.stream().filter(s -> s.getMetric().equals("host.swap.usage")).findFirst().orElseThrow().getValue();
        if (swapTotalKb == 0) {
            assertThat(swapUsage).as("no swap: 0 %").isZero();
        } else {
            assertThat(swapUsage).isBetween(0.0, 100.0);
        }
    }

    @Test
    void includeAndExcludePatternsSelectTheMountPoints() throws Exception {
        List<HostMetric> onlyRoot = sampleOnce(settings(List.of("/"), List.of()));
        assertThat(onlyRoot).filteredOn(s -> s.getMetric().equals("host.disk.usage")).extracting(HostMetric::getInstance).containsExactly("/");

        List<HostMetric> noRoot = sampleOnce(settings(List.of(), List.of("/")));
        assertThat(noRoot).filteredOn(s -> s.getMetric().equals("host.disk.usage")).extracting(HostMetric::getInstance).doesNotContain("/");
    }

    @Test
    void anUnreadableValueIsSkippedAndTheOthersStillGoOut() throws Exception {
        // Excluding every mount point makes host.disk.usage unreadable ("no mount point passes the patterns").
        HostSampler sampler = new HostSampler("this-host", "", settings(List.of(), List.of("**")), failures);
        sampler.baseline();
        List<HostMetric> first = sampler.sample(Instant.now());
        List<HostMetric> second = sampler.sample(Instant.now());
        assertThat(first).extracting(HostMetric::getMetric).doesNotContain("host.disk.usage").contains("host.cpu.usage", "host.ram.usage", "host.load.1");
        assertThat(second).extracting(HostMetric::getMetric).contains("host.cpu.usage");
        assertThat(failures.count()).as("counted at every sample (logged once)").isEqualTo(2);
    }

    @Test
    void withoutABaselineTheFirstCpuSampleIsSkipped() {
        HostSampler sampler = new HostSampler("this-host", "", settings(List.of(), List.of()), failures);
        assertThat(sampler.sample(Instant.now())).extracting(HostMetric::getMetric).doesNotContain("host.cpu.usage", "host.swap.pages")
                .contains("host.ram.usage");
        assertThat(sampler.sample(Instant.now())).extracting(HostMetric::getMetric).contains("host.cpu.usage", "host.swap.pages");
    }
}
