package io.tocsin.cloud.instances;

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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.tocsin.cloud.api.NoAdapterError;
import io.tocsin.cloud.api.NoSuchCredential;
import io.tocsin.cloud.api.ProviderErrors;
import io.tocsin.cloud.instances.InstanceActions.Action;
import io.tocsin.common.http.Problem;
import java.util.List;

/**
 * {@code /api/v1/cloud/credentials/{id}/instances}: seed 000's instance list and its Stop, Reboot and Terminate, for
 * every provider (admin token). An action answers 202 once the provider accepted it; the instance changes state on
 * its own time (list again to follow it). Errors are problem+json, see {@link InstanceService}.
 */
@Controller("/api/v1/cloud/credentials/{id}/instances")
@ExecuteOn(TaskExecutors.BLOCKING)
public class InstanceController {

    private static final String LOCATION = "Region (AWS), zone (Google Cloud) or location (Azure); the credential's "
            + "defaultRegion when absent";

    private final InstanceService instances;

    public InstanceController(InstanceService instances) {
        this.instances = instances;
    }

    @Operation(summary = "List the instances of a credential", description = "Every instance in the location, in every state, "
            + "by id. AWS: DescribeInstances in the region (ec2:DescribeInstances)")
    @ApiResponse(responseCode = "200", description = "The instances",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    array = @ArraySchema(schema = @Schema(implementation = InstanceView.class))))
    @ApiResponse(responseCode = "400", description = "location is not a region/zone name, or the provider refused the request",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @NoSuchCredential
    @ProviderErrors
    @NoAdapterError
    @Get(produces = MediaType.APPLICATION_JSON)
    public List<InstanceView> list(String id, @Parameter(description = LOCATION) @Nullable @QueryValue String location) {
        return instances.list(id, location).stream().map(InstanceView::of).toList();
    }

    @Operation(summary = "Stop an instance", description = "AWS: StopInstances (ec2:StopInstances)")
    @ApiResponse(responseCode = "202", description = "The provider accepted it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ActionView.class)))
    @ApiResponse(responseCode = "400", description = "Invalid instanceId or location, or the provider refused (e.g. wrong state)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @NoSuchInstance
    @ProviderErrors
    @NoAdapterError
    @Post(value = "/{instanceId}/stop", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<ActionView> stop(String id, String instanceId,
                                         @Parameter(description = LOCATION) @Nullable @QueryValue String location) {
        return accepted(instances.act(id, instanceId, Action.STOP, location, null));
    }

    @Operation(summary = "Reboot an instance", description = "AWS: RebootInstances (ec2:RebootInstances)")
    @ApiResponse(responseCode = "202", description = "The provider accepted it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ActionView.class)))
    @ApiResponse(responseCode = "400", description = "Invalid instanceId or location, or the provider refused (e.g. wrong state)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @NoSuchInstance
    @ProviderErrors
    @NoAdapterError
    @Post(value = "/{instanceId}/reboot", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<ActionView> reboot(String id, String instanceId,
                                           @Parameter(description = LOCATION) @Nullable @QueryValue String location) {
        return accepted(instances.act(id, instanceId, Action.REBOOT, location, null));
    }

    @Operation(summary = "Terminate an instance", description = "Cannot be undone: the body must repeat the instance id, "
            + "{\"confirm\": \"<instanceId>\"}. AWS: TerminateInstances (ec2:TerminateInstances)",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TerminateConfirmation.class))))
    @ApiResponse(responseCode = "202", description = "The provider accepted it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ActionView.class)))
    @ApiResponse(responseCode = "400", description = "No or wrong confirm (named in errors), invalid instanceId or location, "
            + "or the provider refused",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @NoSuchInstance
    @ProviderErrors
    @NoAdapterError
    @Post(value = "/{instanceId}/terminate", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<ActionView> terminate(String id, String instanceId,
                                              @Parameter(description = LOCATION) @Nullable @QueryValue String location,
                                              @Nullable @Body byte[] body) {
        return accepted(instances.act(id, instanceId, Action.TERMINATE, location, body));
    }

    private static HttpResponse<ActionView> accepted(InstanceActions.Entry entry) {
        return HttpResponse.accepted().body(new ActionView(entry.instanceId(), entry.action().apiName()));
    }
}
