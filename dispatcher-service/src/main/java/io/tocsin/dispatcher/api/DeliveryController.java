package io.tocsin.dispatcher.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.tocsin.dispatcher.delivery.DeliveryLog;
import io.tocsin.dispatcher.delivery.DlqReplayer;
import io.tocsin.schema.DeliveryOutcome;
import io.tocsin.schema.DeliveryRecord;
import io.tocsin.schema.wire.FieldError;
import io.tocsin.schema.wire.InvalidRecordException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * {@code GET /api/v1/deliveries}: the final outcome of deliveries, from every dispatcher instance (each reads the
 * whole {@code tocsin.deliveries}); and {@code POST /api/v1/dlq/replay}: deliver dead letters again.
 */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
public class DeliveryController {

    static final int MAX_PAGE_SIZE = 500;

    private final DeliveryLog log;
    private final DlqReplayer replayer;

    public DeliveryController(DeliveryLog log, DlqReplayer replayer) {
        this.log = log;
        this.replayer = replayer;
    }

    /** One delivery outcome. */
    @Serdeable
    @Schema(name = "Delivery")
    public record DeliveryView(String integrationId, String alarmKey, String eventId, String status, int attempts,
                               @Schema(description = "DELIVERED or DEAD_LETTERED") String outcome, String reason,
                               @Schema(description = "Duration of the last attempt") long latencyMillis, String timestamp) {

        static DeliveryView of(DeliveryRecord record) {
            return new DeliveryView(record.getIntegrationId(), record.getAlarmKey(), record.getEventId(), record.getStatus().name(),
                    record.getAttempt(), record.getOutcome().name(), record.getReason(), record.getLatencyMillis(),
                    record.getTimestamp().toString());
        }
    }

    /** A page of outcomes, newest first. */
    @Serdeable
    @Schema(name = "DeliveryPage")
    public record DeliveryPage(int total, int page, int size, List<DeliveryView> items) {
    }

    /** Which dead letters to replay; every field optional, all given must match. */
    @Serdeable
    @Schema(name = "ReplayRequest")
    public record ReplayRequest(@Nullable @Schema(description = "Integration id") String integration,
                                @Nullable String alarmKey,
                                @Nullable @Schema(description = "ISO-8601: dead-lettered at or after") String from,
                                @Nullable @Schema(description = "ISO-8601: dead-lettered before") String to) {
    }

    @Operation(summary = "Delivery outcomes", description = "Filters: integration (id), alarmKey, outcome (DELIVERED, DEAD_LETTERED), "
            + "from/to (ISO-8601); page from 0, size up to 500")
    @Get(value = "/deliveries", produces = MediaType.APPLICATION_JSON)
    public DeliveryPage deliveries(@Nullable @QueryValue String integration, @Nullable @QueryValue String alarmKey,
                                   @Nullable @QueryValue String outcome, @Nullable @QueryValue String from,
                                   @Nullable @QueryValue String to, @Nullable @QueryValue Integer page, @Nullable @QueryValue Integer size) {
        List<FieldError> errors = new ArrayList<>();
        Instant since = instant("from", from, errors);
        Instant until = instant("to", to, errors);
        DeliveryOutcome wanted = null;
        if (outcome != null) {
            try {
                wanted = DeliveryOutcome.valueOf(outcome.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("outcome", "must be DELIVERED or DEAD_LETTERED"));
            }
        }
        int pageNumber = page == null ? 0 : page;
        int pageSize = size == null ? 50 : size;
        if (pageNumber < 0) {
            errors.add(new FieldError("page", "must be 0 or more"));
        }
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            errors.add(new FieldError("size", "must be 1 to " + MAX_PAGE_SIZE));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
        DeliveryOutcome outcomeFilter = wanted;
        Predicate<DeliveryRecord> filter = record -> (integration == null || record.getIntegrationId().equals(integration))
                && (alarmKey == null || record.getAlarmKey().equals(alarmKey))
                && (outcomeFilter == null || record.getOutcome() == outcomeFilter)
                && (since == null || !record.getTimestamp().isBefore(since))
                && (until == null || record.getTimestamp().isBefore(until));
        DeliveryLog.Page result = log.query(filter, pageNumber, pageSize);
        return new DeliveryPage(result.total(), pageNumber, pageSize, result.items().stream().map(DeliveryView::of).toList());
    }

    @Operation(summary = "Replay dead letters", description = "Re-delivers each matching dead-lettered delivery once "
            + "(not those delivered since); outcomes show in /deliveries")
    @Post(value = "/dlq/replay", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<DlqReplayer.Replayed> replay(@Body ReplayRequest request) {
        List<FieldError> errors = new ArrayList<>();
        Instant since = instant("from", request.from(), errors);
        Instant until = instant("to", request.to(), errors);
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
        return HttpResponse.accepted().body(replayer.replay(request.integration(), request.alarmKey(), since, until));
    }

    private static Instant instant(String field, String value, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an ISO-8601 instant like 2026-11-20T10:00:00Z"));
            return null;
        }
    }
}
