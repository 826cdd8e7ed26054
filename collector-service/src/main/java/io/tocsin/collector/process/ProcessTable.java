package io.tocsin.collector.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oshi.SystemInfo;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * The machine's process table and masakari's test of whether a listed process runs.
 *
 * <p>masakari runs {@code ps -ef} and asks whether {@code process_name} occurs in its output (seed 003: "Name of
 * the process as it in 'ps -ef'"; {@code handle_process.py}: {@code if process_name in out}). The command column
 * of {@code ps -ef} is a process's arguments joined by spaces, read from {@code /proc/PID/cmdline} on Linux; this
 * class reads the same files, so a process runs when the command line of at least one process contains
 * {@code process_name}. Tocsin looks at command lines only, not at the other columns (masakari would take a
 * process named {@code root} as running because of the UID column), and skips processes without a command line
 * (kernel threads and zombies, which {@code ps} shows in brackets) and the collector itself. Without
 * {@code /proc} (not Linux) the command lines come from OSHI, which asks the operating system for the same.
 *
 * <p>Only command lines are read for every process (one small file each, cheap even with thousands of
 * processes); processor times are read through OSHI for the matched processes only ({@link #cpuTimes}).
 *
 * <p>Error contract: nothing here throws for a single process that vanishes or cannot be read while the table is
 * read (another user's process under {@code hidepid}): it is left out.
 */
final class ProcessTable {

    private static final Path PROC = Path.of("/proc");

    /**
     * One running process.
     *
     * @param pid         its id
     * @param commandLine its arguments joined by spaces, as {@code ps -ef} shows them
     */
    record Proc(long pid, String commandLine) {
    }

    /**
     * Processor time of one process.
     *
     * @param pid         its id
     * @param startMillis when it started (epoch milliseconds); with the pid, it identifies the process over time
     * @param cpuMillis   processor time it has used, user plus system, in milliseconds
     */
    record CpuTime(long pid, long startMillis, long cpuMillis) {
    }

    /**
     * The processes at one moment.
     *
     * @param takenMillis when it was read (epoch milliseconds)
     */
    record Snapshot(long takenMillis, List<Proc> processes) {

        /** The processes whose command line contains {@code processName}. */
        List<Proc> matching(String processName) {
            return processes.stream().filter(p -> p.commandLine().contains(processName)).toList();
        }
    }

    private final OperatingSystem os = new SystemInfo().getOperatingSystem();
    private final long self = ProcessHandle.current().pid();
    private final boolean procfs = Files.isDirectory(PROC.resolve("self"));

    /** Whether the collector runs as root (OSHI asks the operating system for the effective user). */
    boolean elevated() {
        return os.isElevated();
    }

    /** Every process now running that has a command line, except this collector. */
    Snapshot snapshot() {
        long taken = System.currentTimeMillis();
        List<Proc> processes = procfs ? fromProcfs() : fromOshi();
        return new Snapshot(taken, processes);
    }

    /** Processor times of {@code processes} now; a process that has ended in the meantime is left out. */
    List<CpuTime> cpuTimes(List<Proc> processes) {
        List<CpuTime> times = new ArrayList<>(processes.size());
        for (Proc process : processes) {
            OSProcess info = os.getProcess((int) process.pid());
            if (info != null && info.getState() != OSProcess.State.ZOMBIE && info.getState() != OSProcess.State.INVALID) {
                times.add(new CpuTime(process.pid(), info.getStartTime(), info.getUserTime() + info.getKernelTime()));
            }
        }
        return times;
    }

    private List<Proc> fromProcfs() {
        List<Proc> processes = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, ProcessTable::isPidDirectory)) {
            for (Path entry : entries) {
                long pid = Long.parseLong(entry.getFileName().toString());
                if (pid != self) {
                    commandLine(entry.resolve("cmdline")).ifPresent(line -> processes.add(new Proc(pid, line)));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + PROC, e);
        }
        return processes;
    }

    private static boolean isPidDirectory(Path path) {
        String name = path.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** The arguments of {@code /proc/PID/cmdline} (NUL-terminated) joined by spaces, as {@code ps} prints them. */
    private static Optional<String> commandLine(Path cmdline) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(cmdline);
        } catch (IOException e) {
            return Optional.empty(); // Ended, or not ours to read.
        }
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        if (end == 0) {
            return Optional.empty(); // Kernel thread or zombie.
        }
        for (int i = 0; i < end; i++) {
            if (bytes[i] == 0) {
                bytes[i] = ' ';
            }
        }
        return Optional.of(new String(bytes, 0, end, java.nio.charset.StandardCharsets.UTF_8));
    }

    private List<Proc> fromOshi() {
        return os.getProcesses(p -> p.getProcessID() != self && p.getState() != OSProcess.State.ZOMBIE, null, 0).stream()
                .map(p -> new Proc(p.getProcessID(), p.getCommandLine() == null ? "" : p.getCommandLine()))
                .filter(p -> !p.commandLine().isEmpty())
                .toList();
    }
}
