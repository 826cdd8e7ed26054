package io.tocsin.collector.ingest.pacemaker;

import io.micronaut.core.annotation.Introspected;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The Pacemaker ingest body as the OpenAPI document shows it: the alert agent's environment (seed 004) as a JSON
 * object or as form fields of the same names. {@code AlertFields} reads the wire form; this record only describes
 * it, and {@code PacemakerSchemasTest} fails when the two list different fields.
 */
public final class PacemakerSchemas {

    private PacemakerSchemas() {
    }

    @Introspected
    @Schema(name = "PacemakerAlert", description = "The CRM_alert_* environment variables Pacemaker passes to an alert agent "
            + "(contrib/pacemaker/alert_tocsin.sh sends them), as strings. Other CRM_alert_* variables are accepted and "
            + "ignored; any other field is refused. Mapping: docs/ingest-pacemaker.md.")
    // Components carry Pacemaker's variable names, so the generated schema shows them as they are sent.
    public record PacemakerAlert(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"node", "fencing", "resource", "attribute"}) String CRM_alert_kind,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Affected node (fencing: the target); the alarm's hostname", example = "node2") String CRM_alert_node,
            @Schema(description = "Id of the node whose state changed (node alerts)", example = "2") String CRM_alert_nodeid,
            @Schema(description = "Increases with every alert the reporting node issues; with tocsin_reporter it drops stale, out-of-order alerts", example = "42") String CRM_alert_node_sequence,
            @Schema(description = "The configured recipient (the agent's collector URL); ignored") String CRM_alert_recipient,
            @Schema(description = "Time in the alert's timestamp-format; used only when the epoch is absent and it is an ISO-8601 date-time with an offset", example = "2026-11-20T10:00:00.123456+01:00") String CRM_alert_timestamp,
            @Schema(description = "Seconds since 1970: the alarm's timestamp with CRM_alert_timestamp_usec", example = "1795168800") String CRM_alert_timestamp_epoch,
            @Schema(description = "Microseconds after CRM_alert_timestamp_epoch", example = "123456") String CRM_alert_timestamp_usec,
            @Schema(description = "Pacemaker's version", example = "2.1.9") String CRM_alert_version,
            @Schema(description = "node: member or lost (required); fencing: summary of the operation; resource: text of the result", example = "lost") String CRM_alert_desc,
            @Schema(description = "Return code (fencing: 0 success, negative errno on failure; resource: OCF code); required for fencing and resource", example = "0") String CRM_alert_rc,
            @Schema(description = "Resource operation (start, stop, monitor, ...); required for resource", example = "monitor") String CRM_alert_task,
            @Schema(description = "Milliseconds the resource operation took", example = "20000") String CRM_alert_exec_time,
            @Schema(description = "Interval of the resource operation in ms (0 for one-shot operations)", example = "10000") String CRM_alert_interval,
            @Schema(description = "Resource name; required for resource", example = "db") String CRM_alert_rsc,
            @Schema(description = "Execution status of the resource operation (0 done, 1 cancelled, 2 timed out, 4 error, ...); required for resource", example = "0") String CRM_alert_status,
            @Schema(description = "Expected return code of the resource operation; required for resource", example = "0") String CRM_alert_target_rc,
            @Schema(description = "Changed node attribute (attribute alerts, which are ignored)") String CRM_alert_attribute_name,
            @Schema(description = "New value of the node attribute (attribute alerts, which are ignored)") String CRM_alert_attribute_value,
            @Schema(description = "Source of the alarms; the query parameter source wins; default tocsin.collector.ingest.pacemaker.default-source", example = "prod-ha") String tocsin_source,
            @Schema(description = "Cluster of the alarms; the query parameter cluster wins", example = "prod-ha") String tocsin_cluster,
            @Schema(description = "The node whose agent sends the alert (whose sequence CRM_alert_node_sequence is); without it no alert is dropped as stale", example = "node1") String tocsin_reporter) {
    }
}
