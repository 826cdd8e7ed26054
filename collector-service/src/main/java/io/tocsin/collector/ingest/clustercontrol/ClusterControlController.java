package io.tocsin.collector.ingest.clustercontrol;

import io.tocsin.collector.ingest.FormatMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Operation;
import io.tocsin.common.http.Problem;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.tocsin.collector.ingest.IngestController.Accepted;
import io.tocsin.collector.ingest.IngestPublisher;
import io.tocsin.collector.ingest.IngestSettings;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.wire.InvalidRecordException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /api/v1/ingest/clustercontrol}: ClusterControl's plugin JSON (seed 001, what
 * contrib/clustercontrol/tocsin-plugin posts) or webhook JSON (seed 000), one object or an array.
 *
 * <p>Error contract, as every ingest endpoint: 202 with the alarm keys only after Kafka acknowledged every alarm
 * of the request; 400 problem+json naming each bad field (body fields as sent, e.g. {@code alarm.severity}, or
 * the query parameter) with nothing written; 401 without the ingest token (filter in common); 503 with
 * {@code Retry-After} when Kafka does not acknowledge in time.
 */
@Controller("/api/v1/ingest")
public class ClusterControlController {

    private final IngestPublisher publisher;
    private final int maxRecords;
    private final FormatMetrics metrics;

    public ClusterControlController(IngestPublisher publisher, IngestSettings settings, MeterRegistry meters) {
        this.publisher = publisher;
        this.maxRecords = settings.maxRecords();
        this.metrics = new FormatMetrics(meters, "clustercontrol");
    }

    @Operation(summary = "Raise or clear ClusterControl alarms", description = "Body: ClusterControl's plugin JSON "
            + "(seed 001) or webhook JSON (seed 000), or an array of them (at most tocsin.collector.ingest.max-records). "
            + "The alarm key is <controller>:<cid>-<id>. Mapping: docs/ingest-clustercontrol.md.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(oneOf = {ClusterControlSchemas.PluginEvent.class, ClusterControlSchemas.WebhookEvent.class})))
    @ApiResponse(responseCode = "202", description = "Kafka has every alarm",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class)))
    @ApiResponse(responseCode = "400", description = "Malformed JSON, invalid fields or query parameters; nothing was written",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "Missing or wrong ingest token",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "413", description = "Body larger than micronaut.server.max-request-buffer-size",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "503", description = "Kafka did not acknowledge in time; retry after Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post(value = "/clustercontrol", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<Accepted>> clusterControl(
            @Body byte[] body,
            @Parameter(description = "The controller's name, the alarms' source. Required for the webhook JSON; "
                    + "replaces the plugin JSON's cmon_hostname", example = "cc1.example.com")
            @Nullable @QueryValue("controller") String controller,
            @Parameter(description = "Cluster id. Required for the webhook JSON, which has none; used by plugin JSON "
                    + "without alarm.cid", example = "1")
            @Nullable @QueryValue("cid") String cid,
            @Parameter(description = "Cluster name for the alarms' cluster field (the cluster id when absent)",
                    example = "prod-galera")
            @Nullable @QueryValue("cluster") String cluster) {
        List<RawAlarm> alarms;
        try {
            alarms = ClusterControlAlarms.read(body, controller, cid, cluster, maxRecords);
        } catch (InvalidRecordException e) {
            metrics.rejected();
            throw e;
        }
        return publisher.alarms(alarms).thenApply(keys -> {
            metrics.accepted(alarms);
            return HttpResponse.accepted().body(Accepted.of(keys));
        });
    }
}
