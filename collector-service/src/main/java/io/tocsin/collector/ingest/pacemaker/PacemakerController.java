package io.tocsin.collector.ingest.pacemaker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.tocsin.common.http.Problem;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.tocsin.collector.ingest.IngestPublisher;
import io.tocsin.schema.AlarmKeys;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.validation.RawAlarmValidator;
import io.tocsin.schema.wire.FieldError;
import io.tocsin.schema.wire.InvalidRecordException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code POST /api/v1/ingest/pacemaker}: one Pacemaker alert (seed 004), its {@code CRM_alert_*} variables as a JSON
 * object or as form fields, as {@code contrib/pacemaker/alert_tocsin.sh} sends them. It becomes at most one raw
 * alarm ({@link PacemakerAlarms}); a stale alert is dropped ({@link SequenceGate}).
 *
 * <p>Error contract: 202 only after Kafka acknowledged the alarm, or when nothing is to be written (an ignored kind
 * or result, a stale alert), saying which in the body; 400 problem+json naming every bad field, nothing written;
 * 401 without the ingest token; 413 over {@code micronaut.server.max-request-buffer-size}; 415 for another content type;
 * 503 with {@code Retry-After} when Kafka does not acknowledge in time (the alert may be sent again: it is not
 * stale then).
 */
@Controller("/api/v1/ingest")
public class PacemakerController {

    private static final RawAlarmValidator ALARM_RULES = new RawAlarmValidator();

    private final IngestPublisher publisher;
    private final PacemakerSettings settings;
    private final SequenceGate gate;
    private final MeterRegistry meters;

    public PacemakerController(IngestPublisher publisher, PacemakerSettings settings, MeterRegistry meters) {
        this.publisher = publisher;
        this.settings = settings;
        this.meters = meters;
        this.gate = new SequenceGate(settings.sequenceGateSize(), meters);
    }

    /**
     * What became of the alert: {@code accepted} alarms written (their keys in {@code alarmKeys}), {@code dropped}
     * as stale, or {@code ignored} (not an alarm); {@code reason} says why when nothing was written.
     */
    @Serdeable
    public record PacemakerAccepted(int accepted, int dropped, int ignored, List<String> alarmKeys, @Nullable String reason) {
    }

    @Operation(summary = "Receive a Pacemaker alert", description = "Body: the CRM_alert_* variables of one alert agent run, "
            + "as a JSON object or form fields (contrib/pacemaker/alert_tocsin.sh). Node lost/member, fencing results and "
            + "resource operation results become raised or cleared alarms (docs/ingest-pacemaker.md); attribute alerts, "
            + "cancelled operations and stale alerts (CRM_alert_node_sequence not higher than one already taken from the "
            + "same tocsin_reporter for the same alarm) are answered 202 and not written.")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = PacemakerSchemas.PacemakerAlert.class)),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PacemakerSchemas.PacemakerAlert.class))})
    @ApiResponse(responseCode = "202", description = "Kafka has the alarm, or the alert was ignored or stale (see the body)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PacemakerAccepted.class)))
    @ApiResponse(responseCode = "400", description = "Malformed body or invalid fields; nothing was written",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "Missing or wrong ingest token",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "413", description = "Body larger than micronaut.server.max-request-buffer-size",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "415", description = "Neither application/json nor application/x-www-form-urlencoded",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "503", description = "Kafka did not acknowledge in time; retry after Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post(value = "/pacemaker", consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.APPLICATION_JSON}, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<PacemakerAccepted>> pacemaker(
            HttpRequest<?> request, @Body @Nullable byte[] body,
            @Parameter(description = "Source of the alarms (one per Pacemaker cluster); else the field tocsin_source, else "
                    + "tocsin.collector.ingest.pacemaker.default-source") @QueryValue @Nullable String source,
            @Parameter(description = "Cluster of the alarms; else the field tocsin_cluster") @QueryValue @Nullable String cluster) {
        AlertFields fields = AlertFields.read(body, request.getContentType().orElse(null), settings.maxFields());
        PacemakerEvent event = PacemakerEvent.read(fields);
        Named alarmSource = Named.of("source", source, AlertFields.SOURCE, fields.text(AlertFields.SOURCE), settings.defaultSource());
        Named alarmCluster = Named.of("cluster", cluster, AlertFields.CLUSTER, fields.text(AlertFields.CLUSTER), "");
        PacemakerAlarms.Mapping mapping = PacemakerAlarms.map(event, alarmSource.value(), alarmCluster.value());
        String kind = event.kind().text();
        if (mapping.alarm() == null) {
            count(kind, "ignored");
            return answer(new PacemakerAccepted(0, 0, 1, List.of(), mapping.ignoredBecause()));
        }
        RawAlarm alarm = mapping.alarm();
        validate(alarm, alarmSource, alarmCluster);
        String alarmKey = AlarmKeys.of(alarm);
        Supplier<CompletableFuture<List<String>>> publish = () -> publisher.alarms(List.of(alarm));
        CompletableFuture<List<String>> published = event.sequence() == null || event.reporter() == null
                ? publish.get()
                : gate.publishInOrder(event.reporter(), alarmKey, event.sequence(), event.timestamp(), publish);
        if (published == null) {
            count(kind, "stale");
            return answer(new PacemakerAccepted(0, 1, 0, List.of(), "stale: " + event.reporter()
                    + " already sent a later alert (a higher CRM_alert_node_sequence) for " + alarmKey));
        }
        String outcome = alarm.getState() == RawAlarmState.RAISED ? "raised" : "cleared";
        return published.thenApply(keys -> {
            count(kind, outcome);
            return HttpResponse.accepted().body(new PacemakerAccepted(keys.size(), 0, 0, keys, null));
        });
    }

    /** The alarm's own rules; an error names the request field or query parameter the value came from. */
    private static void validate(RawAlarm alarm, Named source, Named cluster) {
        List<FieldError> errors = ALARM_RULES.validate(alarm).stream().map(error -> switch (error.field()) {
            case "source" -> new FieldError(source.field(), error.message());
            case "cluster" -> new FieldError(cluster.field(), error.message());
            case "hostname" -> new FieldError(AlertFields.NODE, error.message());
            default -> error;
        }).toList();
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
    }

    private static CompletableFuture<HttpResponse<PacemakerAccepted>> answer(PacemakerAccepted body) {
        return CompletableFuture.completedFuture(HttpResponse.accepted().body(body));
    }

    private void count(String kind, String outcome) {
        meters.counter("tocsin.collector.pacemaker.alerts", "kind", kind, "outcome", outcome).increment();
    }

    /** A value taken from the query parameter, else the body field, else the default; {@code field} names where it came from. */
    private record Named(String field, String value) {

        static Named of(String parameter, String fromQuery, String bodyField, String fromBody, String fallback) {
            if (fromQuery != null && !fromQuery.isBlank()) {
                return new Named(parameter, fromQuery.strip());
            }
            if (fromBody != null && !fromBody.isBlank()) {
                return new Named(bodyField, fromBody.strip());
            }
            return new Named(bodyField, fallback);
        }
    }
}
