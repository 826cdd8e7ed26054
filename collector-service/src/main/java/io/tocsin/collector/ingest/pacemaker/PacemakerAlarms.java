package io.tocsin.collector.ingest.pacemaker;

import io.tocsin.schema.AlarmKeys;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.Severity;
import io.tocsin.schema.validation.RawAlarmValidator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a Pacemaker alert to the raw alarm it means (docs/ingest-pacemaker.md has the table), or to nothing.
 * Severity, component and type are always set, so nothing depends on the rules service's catalogue (which has no
 * Pacemaker types). The content of a raise (title, message, labels) holds only facts of the condition itself,
 * never the reporting node or its sequence number: every cluster node reports a node or fencing event, and the
 * rules service must see those reports as duplicates, not as updates.
 */
final class PacemakerAlarms {

    static final String NODE_LOST = "PacemakerNodeLost";
    static final String FENCING_FAILED = "PacemakerFencingFailed";
    static final String RESOURCE_FAILED = "PacemakerResourceFailed";
    static final String RESOURCE_DEGRADED = "PacemakerResourceDegraded";
    static final String NODE = "Node";
    static final String CLUSTER = "Cluster";

    /** OCF {@code PCMK_OCF_DEGRADED} and {@code PCMK_OCF_DEGRADED_PROMOTED}: running, but not well. */
    private static final long OCF_DEGRADED = 190;
    private static final long OCF_DEGRADED_PROMOTED = 191;
    /** OCF return codes of a probe that finds the resource running ({@code PCMK_OCF_OK}, {@code _RUNNING_PROMOTED}) or not ({@code _NOT_RUNNING}). */
    private static final long OCF_OK = 0;
    private static final long OCF_RUNNING_PROMOTED = 8;
    private static final long OCF_NOT_RUNNING = 7;

    /**
     * The fencing action in {@code CRM_alert_desc}: Pacemaker's {@code stonith__event_description} writes
     * "Operation reboot of node2 by node1 for pacemaker-controld.1234@node1: OK (ref=...)". {@code CRM_alert_task}
     * of a fencing alert is the notification type ({@code st_notify_fence}), not the action.
     */
    private static final Pattern FENCING_ACTION = Pattern.compile("^Operation (\\S{1,64}) of ");

    private PacemakerAlarms() {
    }

    /** What an alert becomes: one raw alarm, or nothing with the reason. */
    record Mapping(RawAlarm alarm, String ignoredBecause) {

        static Mapping of(RawAlarm alarm) {
            return new Mapping(alarm, null);
        }

        static Mapping ignored(String reason) {
            return new Mapping(null, reason);
        }
    }

    static Mapping map(PacemakerEvent event, String source, String cluster) {
        return switch (event.kind()) {
            case NODE -> Mapping.of(node(event, source, cluster));
            case FENCING -> Mapping.of(fencing(event, source, cluster));
            case RESOURCE -> resource(event, source, cluster);
            // Attribute alerts report every change of a node attribute (ping scores, promotion scores, ...): values,
            // not conditions with a raise and a clear. Pacemaker does not even select them by default.
            case ATTRIBUTE -> Mapping.ignored("attribute alerts are not alarms");
        };
    }

    private static RawAlarm node(PacemakerEvent event, String source, String cluster) {
        String node = event.node();
        Map<String, String> labels = labels(event);
        if (event.nodeId() != null && !event.nodeId().isEmpty()) {
            labels.put("pacemaker_nodeid", event.nodeId());
        }
        RawAlarm.Builder alarm = base(event, source, "node/" + node, NODE_LOST, NODE, cluster, labels);
        if ("lost".equals(event.desc())) {
            return alarm.setState(RawAlarmState.RAISED).setSeverity(Severity.CRITICAL)
                    .setTitle(clip("Pacemaker node " + node + " is lost", RawAlarmValidator.MAX_TITLE))
                    .setMessage("Cluster node " + node + " left the membership of " + clusterName(cluster) + ".")
                    .setRecommendation("Check whether " + node + " is down or cut off from the cluster network. "
                            + "The cluster fences a lost node before it recovers the node's resources.")
                    .build();
        }
        return alarm.setState(RawAlarmState.CLEARED)
                .setTitle(clip("Pacemaker node " + node + " is a member again", RawAlarmValidator.MAX_TITLE))
                .setMessage("Cluster node " + node + " is a member of " + clusterName(cluster) + ".")
                .build();
    }

    private static RawAlarm fencing(PacemakerEvent event, String source, String cluster) {
        String target = event.node();
        Map<String, String> labels = labels(event);
        String action = fencingAction(event.desc());
        if (action != null) {
            labels.put("pacemaker_action", action);
        }
        labels.put("pacemaker_rc", Long.toString(event.rc()));
        String what = action == null ? "Fencing" : "Fencing (" + action + ")";
        String desc = event.desc() == null || event.desc().isEmpty() ? "" : event.desc() + " ";
        // One id per target: any successful fencing of the target resolves a failed one, since the target is then
        // safely down (a retry uses the same action, the stonith-action cluster property; an admin may fence "off").
        RawAlarm.Builder alarm = base(event, source, "fencing/" + target, FENCING_FAILED, CLUSTER, cluster, labels)
                .setMessage(desc + "(rc " + event.rc() + ")");
        if (event.rc() != 0) {
            return alarm.setState(RawAlarmState.RAISED).setSeverity(Severity.CRITICAL)
                    .setTitle(clip(what + " of " + target + " failed", RawAlarmValidator.MAX_TITLE))
                    .setRecommendation("The cluster cannot recover the resources of " + target + " until it is fenced. "
                            + "Check the fence devices (stonith_admin --history " + target + "); once " + target
                            + " is verified down, confirm it manually (stonith_admin --confirm " + target + ").")
                    .build();
        }
        return alarm.setState(RawAlarmState.CLEARED)
                .setTitle(clip(what + " of " + target + " succeeded", RawAlarmValidator.MAX_TITLE))
                .build();
    }

    private static Mapping resource(PacemakerEvent event, String source, String cluster) {
        long status = event.status();
        if (status == PacemakerEvent.STATUS_CANCELLED) {
            // Recurring operations are cancelled whenever a resource stops or moves: not a result (the sample
            // agents skip "Cancelled" as well).
            return Mapping.ignored("cancelled operations are not results");
        }
        if (status == PacemakerEvent.STATUS_PENDING) {
            return Mapping.ignored("pending operations are not results");
        }
        if (isProbe(event) && status == PacemakerEvent.STATUS_DONE && event.targetRc() == OCF_NOT_RUNNING
                && (event.rc() == OCF_OK || event.rc() == OCF_RUNNING_PROMOTED)) {
            // lib/lrmd/lrmd_alerts.c: a probe finding the resource running "was probably because someone did a
            // clean-up of the status section". A raise would never clear: Pacemaker sends no alert for a probe
            // with the expected result.
            return Mapping.ignored("a probe that finds the resource running follows a clean-up");
        }
        String node = event.node();
        String operation = event.task() + (event.intervalMs() > 0 ? " (every " + event.intervalMs() + " ms)" : "");
        Map<String, String> labels = labels(event);
        labels.put("pacemaker_rsc", event.rsc());
        labels.put("pacemaker_task", event.task());
        labels.put("pacemaker_interval_ms", Long.toString(event.intervalMs()));
        labels.put("pacemaker_rc", Long.toString(event.rc()));
        labels.put("pacemaker_target_rc", Long.toString(event.targetRc()));
        labels.put("pacemaker_status", Long.toString(status));
        String desc = event.desc() == null || event.desc().isEmpty() ? "status " + status : event.desc();
        RawAlarm.Builder alarm = base(event, source, "resource/" + node + "/" + event.rsc() + "/" + event.task() + "/" + event.intervalMs(),
                RESOURCE_FAILED, CLUSTER, cluster, labels);
        if (!event.operationFailed()) {
            return Mapping.of(alarm.setState(RawAlarmState.CLEARED)
                    .setTitle(clip("Resource " + event.rsc() + " " + operation + " on " + node + " succeeded", RawAlarmValidator.MAX_TITLE))
                    .setMessage("Operation " + operation + " of resource " + event.rsc() + " on " + node + ": " + desc + ".")
                    .build());
        }
        boolean degraded = status == PacemakerEvent.STATUS_DONE
                && (event.rc() == OCF_DEGRADED || event.rc() == OCF_DEGRADED_PROMOTED);
        String timedOut = status == PacemakerEvent.STATUS_TIMED_OUT && event.execTimeMs() != null
                ? " It timed out after " + event.execTimeMs() + " ms." : "";
        return Mapping.of(alarm.setState(RawAlarmState.RAISED)
                .setType(degraded ? RESOURCE_DEGRADED : RESOURCE_FAILED)
                .setSeverity(degraded ? Severity.WARNING : Severity.CRITICAL)
                .setTitle(clip("Resource " + event.rsc() + " " + operation + " on " + node + (degraded ? " is degraded: " : " failed: ")
                        + desc, RawAlarmValidator.MAX_TITLE))
                .setMessage("Operation " + operation + " of resource " + event.rsc() + " on " + node + " returned " + event.rc()
                        + " (expected " + event.targetRc() + "), execution status " + status + " (" + desc + ")." + timedOut)
                .setRecommendation("Find the cause in the resource agent's log on " + node + " (pcs status --full, crm_mon "
                        + "--failcounts). After fixing it, clean up: pcs resource cleanup " + event.rsc() + " (crm resource cleanup "
                        + event.rsc() + "). The alarm clears when " + operation + " succeeds again on " + node + ".")
                .build());
    }

    /** A probe: a one-time monitor Pacemaker runs to learn a resource's state (interval 0). */
    private static boolean isProbe(PacemakerEvent event) {
        return "monitor".equals(event.task()) && event.intervalMs() == 0;
    }

    static String fencingAction(String desc) {
        if (desc == null) {
            return null;
        }
        Matcher matcher = FENCING_ACTION.matcher(desc);
        return matcher.find() ? matcher.group(1) : null;
    }

    /**
     * The fields every mapping sets. The alarm id is {@code node/<node>}, {@code fencing/<target>} or
     * {@code resource/<node>/<rsc>/<operation>/<interval ms>} (a resource may have several recurring monitors, one
     * per role, each its own alarm); when long names make it longer than an alarm id may be, its kind prefix and a
     * stable digest of the whole id stand for it.
     */
    private static RawAlarm.Builder base(PacemakerEvent event, String source, String alarmId, String type, String component,
                                         String cluster, Map<String, String> labels) {
        String id = alarmId.length() <= RawAlarmValidator.MAX_ALARM_ID ? alarmId
                : alarmId.substring(0, alarmId.indexOf('/') + 1) + AlarmKeys.stableId(type, event.node(), alarmId);
        return RawAlarm.newBuilder().setSource(source).setAlarmId(id).setType(type).setComponent(component)
                .setCluster(cluster).setHostname(event.node()).setLabels(labels).setSeverity(null)
                .setTimestamp(event.timestamp());
    }

    private static Map<String, String> labels(PacemakerEvent event) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("pacemaker_kind", event.kind().text());
        return labels;
    }

    private static String clusterName(String cluster) {
        return cluster.isEmpty() ? "the cluster" : "cluster " + cluster;
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
