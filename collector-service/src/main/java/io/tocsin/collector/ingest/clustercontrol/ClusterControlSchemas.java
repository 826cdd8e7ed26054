package io.tocsin.collector.ingest.clustercontrol;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * ClusterControl's two alarm JSON shapes as the OpenAPI document shows them. The endpoint reads the JSON tree
 * itself ({@link ClusterControlAlarms}, which tolerates fields not listed here); these records only describe it.
 */
public final class ClusterControlSchemas {

    private ClusterControlSchemas() {
    }

    @Introspected
    @Schema(name = "ClusterControlPluginEvent", description = "What cmon writes to a plugin's standard input (seed 001; "
            + "contrib/clustercontrol/tocsin-plugin posts it unchanged). Other fields are ignored.")
    public record PluginEvent(
            @Schema(description = "Only alarm events exist", allowableValues = {"alarm"}) String type,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"new", "update", "remove"},
                    description = "new and update raise the alarm, remove clears it") String action,
            PluginAlarm alarm,
            @Schema(name = "cmon_hostname", description = "The controller; becomes the source (sanitised) unless the query "
                    + "parameter controller is given", example = "cc1.example.com") String cmonHostname) {
    }

    @Introspected
    @Schema(name = "ClusterControlPluginAlarm", description = "The alarm map of the plugin JSON. Newer controllers' names "
            + "(alarm_id, cluster_id, severity_name, type_name, component_name, host_id) are read when these are absent.")
    public record PluginAlarm(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, type = "integer", format = "uint64",
                    description = "The controller's alarm id, unsigned 64 bits (e.g. 10736685724696984427); the Tocsin "
                            + "alarm id is <cid>-<id>") String id,
            @Schema(type = "integer", description = "Cluster id; required unless the query parameter cid is given", example = "1") String cid,
            @Schema(description = "Required for new and update", allowableValues = {"ALARM_WARNING", "ALARM_CRITICAL"}) String severity,
            @Schema(description = "Alarm type; derived from the title when absent", example = "MySqlDisconnected") String type,
            @Schema(description = "Alarm name; the title when title is absent", example = "MySQL server disconnected") String name,
            @Schema(description = "Title (newer controllers)") String title,
            @Schema(description = "Area; derived from the type when absent", example = "Node") String component,
            @Nullable String hostname,
            @Nullable String message,
            @Nullable String recommendation,
            @Schema(description = "How many times it was raised (not kept: a repeat is not a change)") Integer count,
            @Schema(description = "Host id; kept as label cc.hostid") Integer hostid,
            @Schema(description = "Node id; kept as label cc.nodeid") Integer nodeid) {
    }

    @Introspected
    @Schema(name = "ClusterControlWebhookEvent", description = "What a ClusterControl webhook integration posts (seed 000). "
            + "Needs the query parameters controller and cid.")
    public record WebhookEvent(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, type = "integer", example = "470") String id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"CREATED", "CHANGED", "ENDED"},
                    description = "CREATED and CHANGED raise the alarm, ENDED clears it") String status,
            @Schema(example = "Node") String component,
            @Schema(example = "192.168.20.62") String hostname,
            @Schema(example = "Server disconnected") String title,
            @Nullable String message,
            @Nullable String recommendation,
            @Schema(description = "Required for CREATED and CHANGED", allowableValues = {"WARNING", "CRITICAL"}) String severity) {
    }
}
