package io.tocsin.rules.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.tocsin.common.http.Problem;
import io.tocsin.rules.streams.RulesStreams;
import io.tocsin.rules.view.HostPage;
import io.tocsin.rules.view.HostView;
import io.tocsin.rules.view.SourcePage;
import io.tocsin.rules.view.SourceView;
import io.tocsin.rules.view.UnifiedView;
import java.util.List;

/**
 * {@code /api/v1/hosts} and {@code /api/v1/sources}: who reports to Tocsin, whether they are alive, and their open
 * alarms, over all rules-service instances (admin token). Error contract as {@link AlarmController}'s.
 */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(beans = RulesStreams.class)
public class InventoryController {

    private final UnifiedView view;

    public InventoryController(UnifiedView view) {
        this.view = view;
    }

    @Operation(summary = "Hosts", description = "Every host that sent metric samples: online/offline (heartbeat), last seen, latest value "
            + "of each metric, open alarms by severity (alarms whose hostname is the host). Sorted by name; page from 0, size 1 to 500")
    @ApiResponse(responseCode = "400", description = "Invalid parameter, named in the problem's errors",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "503", description = "Stores not queryable yet (rebalancing); retry after Retry-After seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get(value = "/hosts", produces = MediaType.APPLICATION_JSON)
    public HostPage listHosts(@Nullable @QueryValue @Parameter(description = "Cluster glob(s), comma-separated") List<String> cluster,
                          @Nullable @QueryValue @Parameter(description = "online or offline") String status,
                          @Nullable @QueryValue String page, @Nullable @QueryValue String size, HttpRequest<?> request) {
        return view.hosts(cluster, status, page, size, Callers.authorization(request));
    }

    @Operation(summary = "One host")
    @ApiResponse(responseCode = "404", description = "No sample of that host has been seen",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get(value = "/hosts/{host}", produces = MediaType.APPLICATION_JSON)
    public HostView getHost(@PathVariable String host, HttpRequest<?> request) {
        return view.host(host, Callers.authorization(request));
    }

    @Operation(summary = "Sources", description = "Every producer of raw alarms: last event, raised/cleared counts, expected interval, "
            + "status (online, offline, or unknown without an expected interval), open alarms by severity. Sorted by name")
    @ApiResponse(responseCode = "400", description = "Invalid parameter, named in the problem's errors",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "503", description = "Stores not queryable yet (rebalancing); retry after Retry-After seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get(value = "/sources", produces = MediaType.APPLICATION_JSON)
    public SourcePage listSources(@Nullable @QueryValue @Parameter(description = "online, offline or unknown") String status,
                              @Nullable @QueryValue String page, @Nullable @QueryValue String size, HttpRequest<?> request) {
        return view.sources(status, page, size, Callers.authorization(request));
    }

    @Operation(summary = "One source")
    @ApiResponse(responseCode = "404", description = "No raw alarm from that source has been seen",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get(value = "/sources/{source}", produces = MediaType.APPLICATION_JSON)
    public SourceView getSource(@PathVariable String source, HttpRequest<?> request) {
        return view.source(source, Callers.authorization(request));
    }
}
