package io.tocsin.rules.catalogue;

import static io.tocsin.schema.Severity.CRITICAL;
import static io.tocsin.schema.Severity.WARNING;

import io.tocsin.schema.Severity;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The default alarm catalogue: ClusterControl's Warning Events and Critical Events tables (seed 000). Types
 * listed in both tables are threshold alarms whose severity the source or the threshold rules give; without
 * either they are WARNING. Unknown types are WARNING, with the category of their component when it names one.
 */
public final class AlarmCatalogue {

    /** The event categories of ClusterControl's integrations. */
    public static final List<String> CATEGORIES = List.of("Network", "CMON Database", "Mail", "Cluster", "Cluster Configuration",
            "Cluster Recovery", "Node", "Host", "Database Health", "Database Performance", "Software Installation", "Backup");

    private final Map<String, AlarmType> types = new HashMap<>();

    public AlarmCatalogue() {
        node(WARNING, "MySqlReplicationBroken", "MySqlAdvisor", "MySqlReplicationLooseServer");
        type("MySqlReplicationLag", WARNING, "Node", "Node", "Database Performance");
        type("CertificateExpiration", WARNING, "Node", "Node", "Network");
        type("MySqlTableAnalyzer", WARNING, "Node", "Node", "Database Health");
        type("StorageMyIsam", WARNING, "Node", "Node", "Database Health");
        type("MySqlIndexAnalyzer", WARNING, "Node", "Node", "Database Health");
        node(CRITICAL, "MySqlDisconnected", "MySqlGrantMissing", "ProcFailedRestart", "MySqlReplicationMultiMaster");
        type("MySqlLongRunningQuery", CRITICAL, "Node", "Node", "Database Performance");
        for (String host : List.of("HostSwapV2", "HostSwapping", "HostCpuUsage", "HostRamUsage", "HostDiskUsage", "ProcessCpuUsage")) {
            type(host, WARNING, "Host", "Host");
        }
        type("BackupFailed", WARNING, "Backup", "Backup");
        type("BackupVerificationFailed", CRITICAL, "Backup", "Backup");
        type("GaleraWsrepMissing", WARNING, "Recovery", "Cluster Recovery");
        type("GaleraSstAuth", WARNING, "Recovery", "Cluster Recovery", "Cluster Configuration");
        for (String recovery : List.of("GaleraClusterSplit", "ClusterRecoveryFail", "GaleraNodeRecoveryFail", "ReplicationFailoverBlacklistError")) {
            type(recovery, CRITICAL, "Recovery", "Cluster Recovery");
        }
        type("GaleraConfigProblem1", CRITICAL, "Recovery", "Cluster Recovery", "Cluster Configuration");
        type("HostFirewall", WARNING, "Network", "Network");
        type("HostSshSlow", WARNING, "Network", "Network");
        for (String network : List.of("HostUnreachable", "HostSshFailed", "HostSshAuth", "HostSudoError")) {
            type(network, CRITICAL, "Network", "Network");
        }
        type("ClusterTimeDrift", WARNING, "Cluster", "Cluster");
        type("ClusterInconsitentView", WARNING, "Cluster", "Cluster");
        type("ClusterLicenseExpire", WARNING, "Cluster", "Cluster", "Software Installation");
        type("ClusterFailure", CRITICAL, "Cluster", "Cluster");
    }

    private void node(Severity severity, String... names) {
        for (String name : names) {
            type(name, severity, "Node", "Node");
        }
    }

    private void type(String name, Severity severity, String component, String... categories) {
        types.put(name, new AlarmType(name, severity, component, List.of(categories)));
    }

    /** The known type, or a WARNING one whose category follows its component (when that names a category). */
    public AlarmType lookup(String type, String component) {
        AlarmType known = types.get(type);
        if (known != null) {
            return known;
        }
        String area = component == null || component.isBlank() ? "Other" : component;
        List<String> categories = CATEGORIES.stream().filter(c -> c.toLowerCase(Locale.ROOT).equals(area.toLowerCase(Locale.ROOT))).toList();
        return new AlarmType(type, WARNING, area, categories);
    }
}
