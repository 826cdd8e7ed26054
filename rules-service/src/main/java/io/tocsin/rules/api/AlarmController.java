package io.tocsin.rules.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestBean;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.tocsin.common.http.Problem;
import io.tocsin.rules.streams.RulesStreams;
import io.tocsin.rules.view.AlarmFilterParameters;
import io.tocsin.rules.view.AlarmPage;
import io.tocsin.rules.view.AlarmStatus;
import io.tocsin.rules.view.AlarmView;
import io.tocsin.rules.view.UnifiedView;

/**
 * {@code /api/v1/alarms}: the open alarms of every source, over all rules-service instances (admin token). Error
 * contract: 400 problem+json naming each invalid parameter; 404 for a key that is not open; 503 with Retry-After
 * while the stores are rebalancing or an instance holding part of the answer does not reply.
 */
@Controller("/api/v1/alarms")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(beans = RulesStreams.class)
public class AlarmController {

    private final UnifiedView view;

    public AlarmController(UnifiedView view) {
        this.view = view;
    }

    @Operation(summary = "Open alarms", description = "Filters (all must match; a list matches when any value does): severity, category, "
            + "type, hostname, cluster, source, component, silenced, q. Sorted by sort (default -openedAt), paged by page (from 0) and "
            + "size (1 to 500, default 50); total counts every match")
    @ApiResponse(responseCode = "200", description = "A page of open alarms")
    @ApiResponse(responseCode = "400", description = "Invalid parameter, named in the problem's errors",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "503", description = "Stores not queryable yet (rebalancing); retry after Retry-After seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get(produces = MediaType.APPLICATION_JSON)
    public AlarmPage listAlarms(@RequestBean AlarmFilterParameters filters,
                          @Nullable @QueryValue @Parameter(description = "Comma-separated fields openedAt, updatedAt, lastSeen, severity, "
                                  + "type, hostname, cluster, source; prefix - for descending. Default -openedAt") String sort,
                          @Nullable @QueryValue @Parameter(description = "Page number from 0") String page,
                          @Nullable @QueryValue @Parameter(description = "Page size, 1 to 500, default 50") String size,
                          HttpRequest<?> request) {
        return view.alarms(filters, sort, page, size, Callers.authorization(request));
    }

    @Operation(summary = "Open alarm counts", description = "By severity, type and category: overall, per source and per cluster "
            + "(cmon-proxy's alarms status). Takes the same filters as the list")
    @ApiResponse(responseCode = "400", description = "Invalid parameter, named in the problem's errors",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "503", description = "Stores not queryable yet (rebalancing); retry after Retry-After seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get(value = "/status", produces = MediaType.APPLICATION_JSON)
    public AlarmStatus alarmStatus(@RequestBean AlarmFilterParameters filters, HttpRequest<?> request) {
        return view.status(filters, Callers.authorization(request));
    }

    @Operation(summary = "One open alarm", description = "The key is source:alarmId, URL-encoded (a '/' in the id is %2F)")
    @ApiResponse(responseCode = "404", description = "No open alarm has that key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "503", description = "The instance holding the key cannot answer yet; retry after Retry-After seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get(value = "/{key}", produces = MediaType.APPLICATION_JSON)
    public AlarmView getAlarm(@PathVariable String key, HttpRequest<?> request) {
        return view.alarm(key, Callers.authorization(request));
    }
}
