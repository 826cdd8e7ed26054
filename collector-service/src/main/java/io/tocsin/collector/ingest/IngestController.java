package io.tocsin.collector.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.tocsin.common.http.Problem;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.tocsin.schema.HostMetric;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.validation.HostMetricValidator;
import io.tocsin.schema.validation.RawAlarmValidator;
import io.tocsin.schema.wire.JsonRecordReader;
import io.tocsin.schema.wire.RecordValidator;
import org.apache.avro.specific.SpecificRecordBase;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Tocsin's native JSON (DESIGN.md section 4): {@code POST /api/v1/ingest/alarms} and {@code /ingest/metrics}, one
 * object or an array. The whole request is validated first and either every record is written to Kafka or the
 * request is not reported accepted: 202 only after Kafka acknowledged all of them; 400 problem+json naming each bad
 * field (nothing written); 503 with {@code Retry-After} if Kafka does not acknowledge them in time.
 */
@Controller("/api/v1/ingest")
public class IngestController {

    private static final JsonRecordReader<RawAlarm> ALARMS = new JsonRecordReader<>(RawAlarm.class);
    private static final JsonRecordReader<HostMetric> METRICS = new JsonRecordReader<>(HostMetric.class);
    private static final RawAlarmValidator ALARM_RULES = new RawAlarmValidator();
    private static final HostMetricValidator METRIC_RULES = new HostMetricValidator();

    private final IngestPublisher publisher;
    private final int maxRecords;

    public IngestController(IngestPublisher publisher, IngestSettings settings) {
        this.publisher = publisher;
        this.maxRecords = settings.maxRecords();
    }

    /** What was accepted: the alarm keys, in request order. */
    @Serdeable
    public record Accepted(int accepted, List<String> alarmKeys) {

        public static Accepted of(List<String> alarmKeys) {
            return new Accepted(alarmKeys.size(), alarmKeys);
        }
    }

    /** How many samples were accepted. */
    @Serdeable
    public record SamplesAccepted(int accepted) {
    }

    @Operation(summary = "Raise or clear alarms", description = "Body: one RawAlarm JSON object or an array of them "
            + "(at most tocsin.collector.ingest.max-records, 1000 by default).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(oneOf = {NativeSchemas.RawAlarmJson.class, NativeSchemas.RawAlarmBatch.class})))
    @ApiResponse(responseCode = "202", description = "Kafka has every alarm",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class)))
    @ApiResponse(responseCode = "400", description = "Malformed JSON or invalid fields; nothing was written",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "Missing or wrong ingest token",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "413", description = "Body larger than micronaut.server.max-request-buffer-size",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "503", description = "Kafka did not acknowledge in time; retry after Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post(value = "/alarms", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<Accepted>> alarms(@Body byte[] body) {
        List<RawAlarm> alarms = read(body, ALARMS, ALARM_RULES, "alarms");
        return publisher.alarms(alarms).thenApply(keys -> HttpResponse.accepted().body(Accepted.of(keys)));
    }

    @Operation(summary = "Publish host metric samples", description = "Body: one HostMetric JSON object or an array of them "
            + "(at most tocsin.collector.ingest.max-records). Metric names and units: docs/SCHEMAS.md.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(oneOf = {NativeSchemas.HostMetricJson.class, NativeSchemas.HostMetricBatch.class})))
    @ApiResponse(responseCode = "202", description = "Kafka has every sample",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SamplesAccepted.class)))
    @ApiResponse(responseCode = "400", description = "Malformed JSON or invalid fields; nothing was written",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "Missing or wrong ingest token",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "413", description = "Body larger than micronaut.server.max-request-buffer-size",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "503", description = "Kafka did not acknowledge in time; retry after Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post(value = "/metrics", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<SamplesAccepted>> metrics(@Body byte[] body) {
        List<HostMetric> samples = read(body, METRICS, METRIC_RULES, "samples");
        return publisher.metrics(samples).thenApply(count -> HttpResponse.accepted().body(new SamplesAccepted(count)));
    }

    /** One native record or an array of at most {@code maxRecords}, every one valid, or a 400 naming each bad field. */
    private <T extends SpecificRecordBase> List<T> read(byte[] body, JsonRecordReader<T> reader, RecordValidator<T> rules, String what) {
        JsonNode root = IngestBodies.parse(body);
        if (root.isArray()) {
            IngestBodies.requireAtMost("", root.size(), maxRecords, what);
        }
        return reader.readAll(root, rules, true);
    }
}
