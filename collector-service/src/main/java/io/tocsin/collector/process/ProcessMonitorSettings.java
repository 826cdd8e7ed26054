package io.tocsin.collector.process;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * The process monitor ({@code tocsin.collector.processes.*}): masakari-processmonitor's {@code [process]} options
 * (seed 003) under Tocsin's names. Defaults are masakari's where masakari has the option.
 *
 * @param enabled         whether the monitor runs; off by default because it starts and restarts processes
 * @param listFile        the process list, masakari's {@code process_list.yaml} format (masakari:
 *                        {@code process_list_path}); required when enabled
 * @param checkInterval   pause between the end of one check of every listed process and the start of the next
 *                        (masakari: {@code check_interval}, 5 s)
 * @param restartRetries  restarts tried after the first one fails, so a down process gets {@code 1 + restartRetries}
 *                        restart attempts before ProcFailedRestart is raised (masakari: {@code restart_retries}, 3,
 *                        used as {@code range(0, restart_retries + 1)})
 * @param restartInterval pause after a failed restart attempt before the next (masakari: {@code restart_interval}, 5 s)
 * @param commandTimeout  how long one command may run before it is killed and counted as failed (masakari has no
 *                        timeout; a hung {@code systemctl} would stop its whole loop)
 */
@ConfigurationProperties("tocsin.collector.processes")
public record ProcessMonitorSettings(
        @Bindable(defaultValue = "false") boolean enabled,
        @Bindable(defaultValue = "") String listFile,
        @Bindable(defaultValue = "5s") Duration checkInterval,
        @Bindable(defaultValue = "3") int restartRetries,
        @Bindable(defaultValue = "5s") Duration restartInterval,
        @Bindable(defaultValue = "60s") Duration commandTimeout) {

    /** @throws IllegalArgumentException naming the setting when a value is out of range */
    public ProcessMonitorSettings {
        listFile = listFile == null ? "" : listFile.strip();
        if (enabled && listFile.isEmpty()) {
            throw new IllegalArgumentException("tocsin.collector.processes.list-file must name the process list when the process monitor is enabled");
        }
        requirePositive("check-interval", checkInterval);
        requirePositive("command-timeout", commandTimeout);
        if (restartInterval == null || restartInterval.isNegative()) {
            throw new IllegalArgumentException("tocsin.collector.processes.restart-interval must not be negative, was " + restartInterval);
        }
        if (restartRetries < 0) {
            throw new IllegalArgumentException("tocsin.collector.processes.restart-retries must not be negative, was " + restartRetries);
        }
    }

    /** Restart attempts a down process gets before the alarm: the first one plus the retries. */
    public int restartAttempts() {
        return restartRetries + 1;
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("tocsin.collector.processes." + name + " must be positive, was " + value);
        }
    }
}
