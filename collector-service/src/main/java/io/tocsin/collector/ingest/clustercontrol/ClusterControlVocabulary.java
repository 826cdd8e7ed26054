package io.tocsin.collector.ingest.clustercontrol;

import io.tocsin.collector.ingest.ForeignFields;
import io.tocsin.schema.Severity;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ClusterControl's words for severities, components and alarm types, turned into Tocsin's.
 *
 * <p>Components become the event category names of seed 000 ("Network", "CMON Database", ..., "Backup") because
 * the rules service files an alarm of a type it does not know under the category named like its component; the
 * same alarm then lands in the same category whether it came through the plugin or the webhook.
 */
final class ClusterControlVocabulary {

    /** Raw alarm type when a payload gives neither a type nor a title with a word in it. */
    static final String FALLBACK_TYPE = "ClusterControlAlarm";

    private static final int MAX_DERIVED_TYPE = 64;

    /**
     * Component names of newer controllers (the {@code component_name} values of s9s-tools' CmonAlarm, e.g.
     * "CmonDatabase", "DbHealth") mapped to seed 000's category names; names not listed are kept as sent.
     */
    private static final Map<String, String> COMPONENTS = Map.ofEntries(
            Map.entry("network", "Network"),
            Map.entry("cmondatabase", "CMON Database"),
            Map.entry("cmon database", "CMON Database"),
            Map.entry("mail", "Mail"),
            Map.entry("cluster", "Cluster"),
            Map.entry("clusterconfiguration", "Cluster Configuration"),
            Map.entry("cluster configuration", "Cluster Configuration"),
            Map.entry("clusterrecovery", "Cluster Recovery"),
            Map.entry("cluster recovery", "Cluster Recovery"),
            Map.entry("node", "Node"),
            Map.entry("host", "Host"),
            Map.entry("dbhealth", "Database Health"),
            Map.entry("database health", "Database Health"),
            Map.entry("dbperformance", "Database Performance"),
            Map.entry("database performance", "Database Performance"),
            Map.entry("softwareinstallation", "Software Installation"),
            Map.entry("software installation", "Software Installation"),
            Map.entry("backup", "Backup"));

    /**
     * Type-name prefixes to component, first match wins, for plugin payloads without a component (seed 001's
     * sample has none). Derived from the areas of seed 000's Warning and Critical Events tables: host
     * reachability and SSH alarms are Network, resource alarms Host; anything else about a database server is
     * Node ("Node-related events, e.g. node disconnected, missing GRANT").
     */
    private static final List<Map.Entry<String, String>> TYPE_PREFIXES = List.of(
            Map.entry("HostUnreachable", "Network"),
            Map.entry("HostSsh", "Network"),
            Map.entry("HostFirewall", "Network"),
            Map.entry("HostSudo", "Network"),
            Map.entry("Network", "Network"),
            Map.entry("Host", "Host"),
            Map.entry("Process", "Host"),
            Map.entry("Backup", "Backup"),
            Map.entry("ClusterRecovery", "Cluster Recovery"),
            Map.entry("ClusterConfig", "Cluster Configuration"),
            Map.entry("Cluster", "Cluster"),
            Map.entry("Mail", "Mail"),
            Map.entry("Cmon", "CMON Database"),
            Map.entry("SoftwareInstall", "Software Installation"));

    private ClusterControlVocabulary() {
    }

    /**
     * ALARM_WARNING (plugin, seed 001) or WARNING (webhook, seed 000) is WARNING; ALARM_CRITICAL or CRITICAL
     * is CRITICAL; case is ignored. Anything else is empty (the caller reports the field).
     */
    static Optional<Severity> severity(String value) {
        String upper = ForeignFields.upper(value);
        String bare = upper.startsWith("ALARM_") ? upper.substring("ALARM_".length()) : upper;
        return switch (bare) {
            case "WARNING" -> Optional.of(Severity.WARNING);
            case "CRITICAL" -> Optional.of(Severity.CRITICAL);
            default -> Optional.empty();
        };
    }

    /** A component as sent, in seed 000's category spelling when it is one of ClusterControl's. */
    static String component(String value) {
        String stripped = value.strip();
        return COMPONENTS.getOrDefault(stripped.toLowerCase(java.util.Locale.ROOT), stripped);
    }

    /** The component of an alarm type, for payloads without one (see {@link #TYPE_PREFIXES}). */
    static String componentOfType(String type) {
        for (Map.Entry<String, String> prefix : TYPE_PREFIXES) {
            if (type.startsWith(prefix.getKey())) {
                return prefix.getValue();
            }
        }
        return "Node";
    }

    /**
     * An alarm type for a payload without one (the webhook JSON of seed 000 has no type): the title's words
     * that start with a letter, each capitalised and joined, so "Server disconnected" gives
     * "ServerDisconnected". Words starting with a digit (addresses, ports, counts) are left out so one kind of
     * alarm keeps one type whatever host it is about; at most 64 characters; {@link #FALLBACK_TYPE} when no
     * word is left.
     */
    static String typeFromTitle(String title) {
        StringBuilder type = new StringBuilder();
        if (title != null) {
            for (String word : title.split("[^A-Za-z0-9]+")) {
                if (!word.isEmpty() && Character.isLetter(word.charAt(0)) && type.length() < MAX_DERIVED_TYPE) {
                    type.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
                }
            }
        }
        if (type.isEmpty()) {
            return FALLBACK_TYPE;
        }
        return type.length() > MAX_DERIVED_TYPE ? type.substring(0, MAX_DERIVED_TYPE) : type.toString();
    }
}
