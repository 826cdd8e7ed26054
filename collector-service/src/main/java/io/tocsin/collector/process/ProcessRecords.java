package io.tocsin.collector.process;

import io.tocsin.collector.CollectorSettings;
import io.tocsin.schema.AlarmKeys;
import io.tocsin.schema.HostMetric;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.Severity;
import java.time.Instant;
import java.util.Map;

/**
 * The records the process monitor publishes: the ProcFailedRestart raw alarm (seed 000: "A process ... could not
 * be restarted after a failure", Critical, area Node) and the {@code process.cpu.usage} sample (DESIGN.md §4).
 *
 * <p>The alarm's id is {@link AlarmKeys#stableId stableId("ProcFailedRestart", hostname, process_name)} under the
 * collector's own source, so every raise of the same process on the same host is the same alarm (the rules service
 * deduplicates the raise repeated at every check) and the clear finds it.
 */
final class ProcessRecords {

    static final String ALARM_TYPE = "ProcFailedRestart";
    static final String CPU_METRIC = "process.cpu.usage";
    /** The ClusterControl area of ProcFailedRestart (seed 000 lists it under Node). */
    static final String COMPONENT = "Node";

    private final String source;
    private final String hostname;
    private final String cluster;

    ProcessRecords(CollectorSettings collector) {
        this.source = collector.source();
        this.hostname = collector.hostname();
        this.cluster = collector.cluster();
    }

    String alarmId(ProcessEntry entry) {
        return AlarmKeys.stableId(ALARM_TYPE, hostname, entry.processName());
    }

    /**
     * ProcFailedRestart RAISED.
     *
     * @param attempts   restart attempts made since the process was last seen running
     * @param lastResult what the last attempt came to, e.g. {@code restart_command ended with exit status 3}
     */
    RawAlarm raised(ProcessEntry entry, int attempts, String lastResult, Instant at) {
        String name = entry.processName();
        return RawAlarm.newBuilder()
                .setSource(source)
                .setAlarmId(alarmId(entry))
                .setState(RawAlarmState.RAISED)
                .setType(ALARM_TYPE)
                .setSeverity(Severity.CRITICAL)
                .setComponent(COMPONENT)
                .setCluster(cluster)
                .setHostname(hostname)
                .setTitle(title(entry))
                .setMessage("Process '" + name + "' is not running on " + hostname + " and could not be restarted: "
                        + attempts + " restart attempt(s) made, the last " + lastResult + ". The collector tries no more"
                        + " restarts until the process is seen running again.")
                .setRecommendation("Find out why '" + name + "' does not start on " + hostname + " (the collector's log"
                        + " shows the commands' output) and start it; the alarm clears at the next check that finds it running.")
                .setTimestamp(at)
                .setLabels(Map.of("process", name, "restartAttempts", Integer.toString(attempts)))
                .build();
    }

    /** ProcFailedRestart CLEARED: the process runs again. */
    RawAlarm cleared(ProcessEntry entry, Instant at) {
        return RawAlarm.newBuilder()
                .setSource(source)
                .setAlarmId(alarmId(entry))
                .setState(RawAlarmState.CLEARED)
                .setType(ALARM_TYPE)
                .setComponent(COMPONENT)
                .setCluster(cluster)
                .setHostname(hostname)
                .setTitle(title(entry))
                .setMessage("Process '" + entry.processName() + "' runs again on " + hostname + ".")
                .setTimestamp(at)
                .setLabels(Map.of("process", entry.processName()))
                .build();
    }

    /** One {@code process.cpu.usage} sample: percent of one core, summed over the matching processes. */
    HostMetric cpuSample(ProcessEntry entry, double percent, Instant at) {
        return HostMetric.newBuilder()
                .setHost(hostname)
                .setCluster(cluster)
                .setMetric(CPU_METRIC)
                .setInstance(entry.processName())
                .setValue(percent)
                .setTimestamp(at)
                .build();
    }

    private String title(ProcessEntry entry) {
        return "Process " + entry.processName() + " on " + hostname + " could not be restarted";
    }
}
