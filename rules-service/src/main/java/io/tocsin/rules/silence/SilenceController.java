package io.tocsin.rules.silence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.tocsin.common.http.Problem;
import io.tocsin.schema.Silence;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * {@code /api/v1/silences}: maintenance windows (admin token). A silence is stored in {@code tocsin.silences} before
 * the answer, so every rules-service instance (and the topology, which marks the events of matching alarms silenced)
 * has it within a second. See {@code docs/silences.md}.
 */
@Controller("/api/v1/silences")
@ExecuteOn(TaskExecutors.BLOCKING)
public class SilenceController {

    private final SilenceService silences;

    public SilenceController(SilenceService silences) {
        this.silences = silences;
    }

    @Operation(summary = "Create a silence", requestBody = @RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SilenceRequest.class))))
    @ApiResponse(responseCode = "201", description = "Stored in Kafka; Location names it",
            content = @Content(schema = @Schema(implementation = SilenceView.class)))
    @ApiResponse(responseCode = "400", description = "Invalid field, named in the problem's errors (e.g. endsAt before startsAt, "
            + "a window longer than tocsin.rules.silences.max-duration, an unknown field, no matcher)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "tocsin.rules.silences.max-open silences are active or pending already",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<SilenceView> createSilence(@Body byte[] body) {
        Silence created = silences.create(body);
        return HttpResponse.created(SilenceView.of(created, Instant.now()), URI.create("/api/v1/silences/" + created.getId()));
    }

    @Operation(summary = "List silences", description = "Newest first; by default the active and pending ones")
    @ApiResponse(responseCode = "400", description = "Unknown status in the filter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get(produces = MediaType.APPLICATION_JSON)
    public List<SilenceView> listSilences(
            @Parameter(description = "Comma-separated active, pending, expired, or all; default active,pending")
            @Nullable @QueryValue String status) {
        Instant now = Instant.now();
        return silences.list(status, now).stream().map(silence -> SilenceView.of(silence, now)).toList();
    }

    @Operation(summary = "One silence, whatever its status")
    @ApiResponse(responseCode = "404", description = "No silence with that id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get(value = "/{id}", produces = MediaType.APPLICATION_JSON)
    public SilenceView getSilence(String id) {
        return SilenceView.of(silences.get(id), Instant.now());
    }

    @Operation(summary = "End a silence now", description = "Rewritten with endsAt = now and endedEarly = true; alarms it held "
            + "back that are still open are notified then (their CREATED is delivered)")
    @ApiResponse(responseCode = "200", description = "Ended; the silence as it is now",
            content = @Content(schema = @Schema(implementation = SilenceView.class)))
    @ApiResponse(responseCode = "404", description = "No silence with that id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "The silence is over already",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Delete(value = "/{id}", produces = MediaType.APPLICATION_JSON)
    public SilenceView endSilence(String id) {
        return SilenceView.of(silences.end(id), Instant.now());
    }
}
