package io.tocsin.collector.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tocsin.testing.Eventually;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process table sees command lines exactly as {@code ps -ef} prints them, which is what masakari matches. */
class ProcessTableTest {

    @TempDir
    Path dir;

    /** Whether a process runs: alive and not a zombie (a killed orphan stays one until init reaps it). */
    static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"), StandardCharsets.US_ASCII);
            String state = stat.substring(stat.lastIndexOf(')') + 1).strip();
            return !state.startsWith("Z") && !state.startsWith("X");
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aProcessMatchesByItsCommandLineAsPsShowsItAndNotOnceItIsGone() throws Exception {
        Files.copy(Path.of(getClass().getResource("/process/daemon.sh").toURI()), dir.resolve("daemon.sh"));
        String marker = "tocsin-table-" + UUID.randomUUID();
        Process daemon = new ProcessBuilder("/bin/sh", dir.resolve("daemon.sh").toString(), marker).start();
        try {
            ProcessTable table = new ProcessTable();
            ProcessTable.Snapshot snapshot = table.snapshot();
            assertThat(snapshot.matching(marker)).singleElement().satisfies(p -> {
                assertThat(p.pid()).isEqualTo(daemon.pid());
                assertThat(p.commandLine()).isEqualTo(psArgs(daemon.pid()));
            });
            assertThat(snapshot.matching(dir.resolve("daemon.sh") + " " + marker)).hasSize(1);
            assertThat(snapshot.matching(marker + "-other")).isEmpty();
            assertThat(snapshot.matching(" --no-such-argument-" + marker)).isEmpty();
            assertThat(snapshot.processes()).noneMatch(p -> p.pid() == ProcessHandle.current().pid());
            assertThat(table.cpuTimes(snapshot.matching(marker))).singleElement().satisfies(cpu -> {
                assertThat(cpu.pid()).isEqualTo(daemon.pid());
                assertThat(cpu.startMillis()).isCloseTo(daemon.info().startInstant().orElseThrow().toEpochMilli(), within(1_000L));
                assertThat(cpu.cpuMillis()).isNotNegative();
            });
        } finally {
            daemon.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        Eventually.within(Duration.ofSeconds(5), () -> assertThat(new ProcessTable().snapshot().matching(marker)).isEmpty());
    }

    /** What {@code ps} prints as the command of a process. */
    static String psArgs(long pid) throws IOException, InterruptedException {
        Process ps = new ProcessBuilder("ps", "-o", "args=", "-p", Long.toString(pid)).start();
        String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(ps.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
