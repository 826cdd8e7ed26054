package io.tocsin.collector.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.yaml.YamlPropertySourceLoader;
import io.tocsin.schema.HostMetric;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector as the Helm chart's DaemonSet runs it: OSHI reads a proc directory other than {@code /proc}
 * ({@code OSHI_UTIL_PROC_PATH}, as the chart sets it), whose mount list names the host's file systems below
 * {@code <dir>/host/root} beside the container's own mounts, and {@code root-prefix} names them as the host does.
 * Each case is a child JVM (OSHI reads its proc path once per JVM) sampling real directories: a mount list in the
 * kernel's format, every other proc file the machine's own.
 */
class HostRootPrefixTest {

    @TempDir
    Path dir;

    @Test
    void mountPointsBelowTheHostRootAreReportedUnderTheHostsNames() throws Exception {
        Path hostRoot = Files.createDirectories(dir.resolve("host/root")).toRealPath();
        Files.createDirectories(hostRoot.resolve("data"));
        Files.createDirectories(hostRoot.resolve("var/lib/kubelet/pods/p1/volumes/v"));
        Files.createDirectories(hostRoot.resolve("run"));
        Path proc = procWithMounts(String.join("\n",
                "overlay / overlay rw,relatime 0 0",                                 // the container's root
                "/dev/sda1 /etc ext4 rw,relatime 0 0",                               // a container mount (its config, /etc/hosts)
                "/dev/sda1 " + hostRoot + " ext4 ro,relatime 0 0",                   // the node's /
                "/dev/sdb1 " + hostRoot.resolve("data") + " xfs ro,relatime 0 0",    // the node's /data
                "/dev/sda1 " + hostRoot.resolve("var/lib/kubelet/pods/p1/volumes/v") + " ext4 ro 0 0", // a pod's volume
                "tmpfs " + hostRoot.resolve("run") + " tmpfs rw 0 0", ""));                // memory, not disk

        assertThat(disks(proc, "", "")).as("without the prefix: the container's names, its own mounts included")
                .contains("/", "/etc", hostRoot.toString(), hostRoot.resolve("data").toString());
        assertThat(disks(proc, hostRoot.toString(), "/var/lib/kubelet/**")).as("the node's file systems under its own names")
                .containsExactlyInAnyOrder("/", "/data");
        assertThat(disks(proc, hostRoot.toString(), "/data,/var/lib/kubelet/**")).as("the globs apply to the host's names").containsExactly("/");
    }

    @Test
    void theChartsSettingsBindAsWritten() {
        // The DaemonSet's tocsin.yml (k8s/manifests/all.yaml: an empty include-mounts list) and its
        // TOCSIN_COLLECTOR_HOST_ROOT_PREFIX variable.
        String file = """
                tocsin:
                  kafka:
                    provision-topics: false
                  collector:
                    host:
                      exclude-mounts: [/proc/**, /var/lib/kubelet/**]
                      include-mounts: []
                      interval: 10s
                """;
        Map<String, Object> yaml = new YamlPropertySourceLoader().read("tocsin.yml", file.getBytes(StandardCharsets.UTF_8));
        try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).environmentPropertySource(false)
                .propertySources(PropertySource.of("tocsin.yml", yaml),
                        PropertySource.of("env", Map.of("TOCSIN_COLLECTOR_HOST_ROOT_PREFIX", "/host/root"), PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE))
                .start()) { // host.enabled is off, provisioning too: no collector, no Kafka
            HostCollectorSettings settings = context.getBean(HostCollectorSettings.class);
            assertThat(settings.rootPrefix()).isEqualTo("/host/root");
            assertThat(settings.includeMounts()).isEmpty();
            assertThat(settings.excludeMounts()).containsExactly("/proc/**", "/var/lib/kubelet/**");
        }
    }

    /** A proc directory whose {@code mounts} is {@code mounts}; every other entry links to the machine's /proc. */
    private Path procWithMounts(String mounts) throws IOException {
        Path proc = Files.createDirectories(dir.resolve("proc"));
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.equals("mounts") && !name.chars().allMatch(Character::isDigit)) {
                    Files.createSymbolicLink(proc.resolve(name), entry);
                }
            }
        }
        Files.writeString(proc.resolve("mounts"), mounts, StandardCharsets.UTF_8);
        return proc;
    }

    /** The instances of host.disk.usage a child JVM reports with OSHI_UTIL_PROC_PATH={@code proc}. */
    private List<String> disks(Path proc, String rootPrefix, String excludeMounts) throws Exception {
        Path out = Files.createTempFile(dir, "disks", ".txt");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Probe.class.getName(), rootPrefix, excludeMounts)
                .redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("OSHI_UTIL_PROC_PATH", proc.toString());
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the probe finishes").isTrue();
        List<String> lines = Files.readAllLines(out);
        assertThat(process.exitValue()).as("probe output: %s", lines).isZero();
        List<String> disks = new ArrayList<>();
        lines.stream().filter(line -> line.startsWith("DISK ")).forEach(line -> disks.add(line.substring(5)));
        return disks;
    }

    /** The child JVM: one sample of a HostSampler with the given root prefix and exclude globs; prints each disk. */
    public static final class Probe {
        public static void main(String[] args) {
            List<String> exclude = args[1].isEmpty() ? List.of() : List.of(args[1].split(","));
            HostCollectorSettings settings = new HostCollectorSettings(true, Duration.ofSeconds(1), List.of(), exclude,
                    List.of(HostCollectorSettings.DEFAULT_EXCLUDED_FS_TYPES.split(",")), false, args[0]);
            HostSampler sampler = new HostSampler("node-1", "", settings, new SimpleMeterRegistry().counter("failures"));
            for (HostMetric sample : sampler.sample(Instant.now())) {
                if (sample.getMetric().equals(HostSampler.DISK)) {
                    System.out.println("DISK " + sample.getInstance());
                }
            }
        }
    }
}
