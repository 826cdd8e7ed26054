package io.tocsin.collector.ingest.alertmanager;

import io.micrometer.core.instrument.Counter;
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
import io.tocsin.collector.ingest.FormatMetrics;
import io.tocsin.schema.wire.InvalidRecordException;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /api/v1/ingest/alertmanager}: the target of an Alertmanager {@code webhook_configs} receiver
 * (payload version 4); one raw alarm per alert.
 *
 * <p>Error contract, as every ingest endpoint: 202 with the alarm keys only after Kafka acknowledged every alarm
 * of the notification; 400 problem+json naming each bad field ({@code version}, {@code alerts[1].fingerprint},
 * the query parameter {@code source}) with nothing written; 401 without the ingest token (filter in common);
 * 503 with {@code Retry-After} when Kafka does not acknowledge in time (Alertmanager retries 5xx, not 4xx).
 */
@Controller("/api/v1/ingest")
public class AlertmanagerController {

    private final IngestPublisher publisher;
    private final AlertmanagerAlerts reader;
    private final FormatMetrics metrics;
    private final Counter truncated;

    public AlertmanagerController(IngestPublisher publisher, IngestSettings ingest, AlertmanagerSettings settings, MeterRegistry meters) {
        this.publisher = publisher;
        this.reader = new AlertmanagerAlerts(settings, ingest.maxRecords());
        this.metrics = new FormatMetrics(meters, "alertmanager");
        this.truncated = Counter.builder("tocsin.collector.ingest.truncated").tag("format", "alertmanager")
                .description("Alerts Alertmanager left out of its notifications (truncatedAlerts, max_alerts): never seen here")
                .register(meters);
    }

    @Operation(summary = "Raise or clear alarms from Alertmanager", description = "Body: Alertmanager's webhook payload "
            + "version 4. Each alert is one alarm with key <source>:<fingerprint>; firing raises, resolved clears. "
            + "Mapping: docs/ingest-alertmanager.md.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AlertmanagerSchemas.Webhook.class)))
    @ApiResponse(responseCode = "202", description = "Kafka has every alarm",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class)))
    @ApiResponse(responseCode = "400", description = "Malformed JSON, another payload version or invalid fields; nothing was written",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "Missing or wrong ingest token",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "413", description = "Body larger than micronaut.server.max-request-buffer-size",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "503", description = "Kafka did not acknowledge in time; retry after Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post(value = "/alertmanager", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<Accepted>> alertmanager(
            @Body byte[] body,
            @Parameter(description = "The alarms' source; the host of externalURL when absent", example = "am-eu1")
            @Nullable @QueryValue("source") String source) {
        AlertmanagerAlerts.Notification notification;
        try {
            notification = reader.read(body, source);
        } catch (InvalidRecordException e) {
            metrics.rejected();
            throw e;
        }
        return publisher.alarms(notification.alarms()).thenApply(keys -> {
            metrics.accepted(notification.alarms());
            truncated.increment(notification.truncatedAlerts());
            return HttpResponse.accepted().body(Accepted.of(keys));
        });
    }
}
