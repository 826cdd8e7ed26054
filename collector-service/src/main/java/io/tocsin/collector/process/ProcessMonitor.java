package io.tocsin.collector.process;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.tocsin.collector.CollectorSettings;
import io.tocsin.collector.SampleSender;
import io.tocsin.collector.ingest.IngestPublisher;
import io.tocsin.schema.HostMetric;
import io.tocsin.schema.RawAlarm;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * masakari-processmonitor's loop (seed 003; {@code processmonitor/process.py} and {@code handle_process.py}) on one
 * background thread, publishing through the collector's {@link IngestPublisher}.
 *
 * <ol>
 *   <li><b>Start.</b> The process list is loaded when the collector starts; an invalid list stops the start
 *       ({@link ProcessListException}). Then every listed process that is not running is started:
 *       {@code pre_start_command} (when it fails the process is skipped), {@code start_command},
 *       {@code post_start_command}. (masakari runs the start commands of every process, running or not.)</li>
 *   <li><b>Check</b>, then every {@code check-interval} after the previous check ended: a process runs when some
 *       command line contains its {@code process_name} ({@link ProcessTable}). A running process gets a
 *       {@code process.cpu.usage} sample ({@link CpuUsage}).</li>
 *   <li><b>Restart.</b> A process that is down is restarted: {@code pre_restart_command}, {@code restart_command},
 *       {@code post_restart_command}; the attempt fails when one of them does not exit 0 (then the rest are not
 *       run). Failed attempts are retried {@code restart-interval} apart until one succeeds or the process's
 *       budget of {@code 1 + restart-retries} attempts is spent. Processes are handled one after the other, as in
 *       masakari, so a process being retried delays the others' checks.</li>
 *   <li><b>Budget.</b> Attempts are counted from the check that first finds the process down, across checks, and
 *       the count goes back to zero only at a check that finds the process running. An attempt whose commands
 *       all exit 0 ends that check's attempts; if the next check still does not find the process, the next
 *       attempt comes out of the same budget. (masakari starts a fresh budget after every attempt that exits 0,
 *       so a restart command that "succeeds" without bringing the process up loops forever with no
 *       notification.)</li>
 *   <li><b>Alarm.</b> When the budget is spent and the process is still down, ProcFailedRestart is RAISED
 *       ({@link ProcessRecords}), and raised again at every following check while the process stays down, with no
 *       more restarts (masakari's {@code restart_failure_list}); the repeats are deduplicated downstream, so a
 *       raise Kafka did not take is repaired at the next check. When a check finds the process running, the alarm
 *       is CLEARED (again at each check until Kafka acknowledged the clear) and the budget is reset.</li>
 * </ol>
 *
 * <p>Error contract: nothing that happens during a check stops the monitor; a failed command is logged and counts as
 * a failed attempt, an alarm or sample Kafka does not acknowledge is logged (and the alarm repeated at the next
 * check). Alarms are published synchronously (the thread waits up to the publisher's ack timeout), samples are not.
 */
@Context
@Requires(property = "tocsin.collector.processes.enabled", value = "true")
public class ProcessMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessMonitor.class);

    /** Per-process state; touched by the monitor's thread only. */
    private static final class Watch {
        final ProcessEntry entry;
        final CpuUsage cpu = new CpuUsage();
        final Counter restartsAttempted;
        final Counter restartsFailed;
        /** Restart attempts since the process was last seen running. */
        int attemptsUsed;
        /** What the last attempt came to, for the alarm. */
        String lastResult = "";
        /** A raise was sent and no clear has been acknowledged since. */
        boolean alarmOpen;

        Watch(ProcessEntry entry, MeterRegistry meters) {
            this.entry = entry;
            this.restartsAttempted = Counter.builder("tocsin.collector.process.restarts.attempted").tag("process", entry.processName())
                    .description("Restart attempts of a watched process (pre_restart, restart, post_restart)").register(meters);
            this.restartsFailed = Counter.builder("tocsin.collector.process.restarts.failed").tag("process", entry.processName())
                    .description("Restart attempts in which a command did not exit 0").register(meters);
        }
    }

    private final ProcessMonitorSettings settings;
    private final SampleSender sender;
    private final ProcessRecords records;
    private final ProcessTable table = new ProcessTable();
    private final CommandRunner runner;
    private final List<Watch> watches;
    private final ScheduledExecutorService executor;
    private final Counter checks;
    private final Counter alarmsRaised;
    private final Counter alarmsCleared;
    private final AtomicInteger down = new AtomicInteger();

    /** @throws ProcessListException when the list file is unreadable or invalid: the collector does not start */
    public ProcessMonitor(ProcessMonitorSettings settings, CollectorSettings collector, IngestPublisher publisher, MeterRegistry meters) {
        this.settings = settings;
        this.sender = new SampleSender(publisher, meters, "process");
        this.records = new ProcessRecords(collector);
        List<ProcessEntry> entries = ProcessListLoader.load(Path.of(settings.listFile()));
        this.runner = new CommandRunner(settings.commandTimeout(), table.elevated(), System.getenv());
        this.watches = entries.stream().map(entry -> new Watch(entry, meters)).toList();
        this.checks = Counter.builder("tocsin.collector.process.checks")
                .description("Checks of the whole process list").register(meters);
        this.alarmsRaised = Counter.builder("tocsin.collector.process.alarms").tag("state", "raised")
                .description("ProcFailedRestart raises and clears Kafka acknowledged").register(meters);
        this.alarmsCleared = Counter.builder("tocsin.collector.process.alarms").tag("state", "cleared")
                .description("ProcFailedRestart raises and clears Kafka acknowledged").register(meters);
        Gauge.builder("tocsin.collector.process.down", down, AtomicInteger::get)
                .description("Watched processes the last check did not find running").register(meters);
        this.executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("tocsin-process-monitor").daemon().factory());
        LOG.info("Process monitor watches {} process(es) from {}: check every {}, {} restart attempt(s) {} apart",
                watches.size(), settings.listFile(), settings.checkInterval(), settings.restartAttempts(), settings.restartInterval());
    }

    @PostConstruct
    void start() {
        executor.schedule(() -> {
            guarded("start", this::startProcesses);
            executor.scheduleWithFixedDelay(() -> guarded("check", this::check), 0,
                    settings.checkInterval().toMillis(), TimeUnit.MILLISECONDS);
        }, 0, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Runs one phase; an unexpected error is logged and must not cancel the schedule. */
    private void guarded(String phase, Runnable body) {
        try {
            body.run();
        } catch (RuntimeException e) {
            LOG.error("Process monitor {} failed; trying again at the next check", phase, e);
        }
    }

    /** masakari's {@code start_processes}, for the processes not running yet. */
    private void startProcesses() {
        ProcessTable.Snapshot snapshot = table.snapshot();
        for (Watch watch : watches) {
            ProcessEntry entry = watch.entry;
            if (!snapshot.matching(entry.processName()).isEmpty()) {
                LOG.info("Process '{}' is running; not started", CommandRunner.printable(entry.processName()));
                continue;
            }
            if (entry.preStart().present() && !runner.run(entry, entry.preStart()).succeeded()) {
                LOG.warn("Process '{}' not started because its pre_start_command failed", CommandRunner.printable(entry.processName()));
                continue;
            }
            runner.run(entry, entry.start());
            if (entry.postStart().present()) {
                runner.run(entry, entry.postStart());
            }
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    /** One check of every listed process. */
    private void check() {
        checks.increment();
        ProcessTable.Snapshot snapshot = table.snapshot();
        Instant taken = Instant.ofEpochMilli(snapshot.takenMillis());
        List<HostMetric> samples = new ArrayList<>();
        int downNow = 0;
        for (Watch watch : watches) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            List<ProcessTable.Proc> matches = snapshot.matching(watch.entry.processName());
            if (matches.isEmpty()) {
                downNow++;
                notRunning(watch);
            } else {
                List<ProcessTable.CpuTime> times = table.cpuTimes(matches);
                watch.cpu.percent(times, System.currentTimeMillis())
                        .ifPresent(percent -> samples.add(records.cpuSample(watch.entry, percent, taken)));
                running(watch);
            }
        }
        down.set(downNow);
        publishSamples(samples);
    }

    private void running(Watch watch) {
        if (watch.attemptsUsed > 0) {
            LOG.info("Process '{}' runs again after {} restart attempt(s)", CommandRunner.printable(watch.entry.processName()), watch.attemptsUsed);
            watch.attemptsUsed = 0;
        }
        if (watch.alarmOpen && publishAlarm(records.cleared(watch.entry, Instant.now()))) {
            watch.alarmOpen = false;
            alarmsCleared.increment();
            LOG.info("ProcFailedRestart of '{}' cleared", CommandRunner.printable(watch.entry.processName()));
        }
    }

    private void notRunning(Watch watch) {
        ProcessEntry entry = watch.entry;
        String name = CommandRunner.printable(entry.processName());
        int budget = settings.restartAttempts();
        if (watch.attemptsUsed == 0) {
            LOG.warn("Process '{}' is not found", name);
        }
        while (watch.attemptsUsed < budget) {
            watch.attemptsUsed++;
            watch.restartsAttempted.increment();
            LOG.info("Process '{}': restart attempt {} of {}", name, watch.attemptsUsed, budget);
            String failure = restartOnce(entry);
            if (failure == null) {
                watch.lastResult = "exited 0 but the next check did not find the process running";
                return;
            }
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            watch.restartsFailed.increment();
            watch.lastResult = failure;
            if (watch.attemptsUsed < budget && !pause()) {
                return;
            }
        }
        boolean first = !watch.alarmOpen;
        RawAlarm alarm = records.raised(entry, watch.attemptsUsed, watch.lastResult, Instant.now());
        // Marked open before the acknowledgement: a clear of a raise Kafka never took is harmless downstream.
        watch.alarmOpen = true;
        if (publishAlarm(alarm)) {
            alarmsRaised.increment();
        }
        if (first) {
            LOG.error("Process '{}' could not be restarted after {} attempt(s) (the last {}): ProcFailedRestart raised",
                    name, watch.attemptsUsed, watch.lastResult);
        }
    }

    /** One restart attempt; null when every command exited 0, else which command failed and how. */
    private String restartOnce(ProcessEntry entry) {
        for (ProcessEntry.Step step : List.of(entry.preRestart(), entry.restart(), entry.postRestart())) {
            if (!step.present()) {
                continue;
            }
            CommandRunner.Result result = runner.run(entry, step);
            if (!result.succeeded()) {
                return step.key() + " ended with " + result.status();
            }
        }
        return null;
    }

    /** Waits restart-interval; false when interrupted (the collector is stopping). */
    private boolean pause() {
        try {
            Thread.sleep(settings.restartInterval());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Publishes one alarm and waits for Kafka; true when acknowledged (a failure is logged once per outage). */
    private boolean publishAlarm(RawAlarm alarm) {
        return sender.alarms(List.of(alarm)).join();
    }

    /** Publishes the samples without waiting; a failure is logged once until samples go through again. */
    private void publishSamples(List<HostMetric> samples) {
        sender.samples(samples);
    }
}
