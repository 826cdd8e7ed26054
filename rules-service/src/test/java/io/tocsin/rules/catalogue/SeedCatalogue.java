package io.tocsin.rules.catalogue;

import static io.tocsin.schema.Severity.CRITICAL;
import static io.tocsin.schema.Severity.WARNING;

import io.tocsin.schema.Severity;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ClusterControl's Warning Events and Critical Events tables (seed 000) as issue 2 encoded them in Java: the
 * behaviour the shipped YAML rules must keep (severity when the source gives none, area, categories).
 */
public final class SeedCatalogue {

    public static final Map<String, AlarmType> TYPES = new TreeMap<>();

    static {
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

    private static void node(Severity severity, String... names) {
        for (String name : names) {
            type(name, severity, "Node", "Node");
        }
    }

    private static void type(String name, Severity severity, String component, String... categories) {
        TYPES.put(name, new AlarmType(name, severity, component, List.of(categories)));
    }


    private SeedCatalogue() {
    }
}
