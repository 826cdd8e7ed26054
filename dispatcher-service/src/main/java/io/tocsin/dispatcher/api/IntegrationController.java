package io.tocsin.dispatcher.api;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.tocsin.common.http.Problem;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.dispatcher.integration.IntegrationRequest;
import io.tocsin.dispatcher.integration.IntegrationService;
import io.tocsin.dispatcher.integration.IntegrationView;
import io.tocsin.dispatcher.integration.TestResult;
import java.net.URI;
import java.util.List;

/**
 * {@code /api/v1/integrations}: ClusterControl's integration list over HTTP (admin token). Changes are stored in
 * {@code tocsin.integrations} and applied by every dispatcher within a second; the answer comes once this one has
 * applied it. Integrations declared in configuration are listed read-only ({@code readOnly: true}).
 */
@Controller("/api/v1/integrations")
@ExecuteOn(TaskExecutors.BLOCKING)
public class IntegrationController {

    private final IntegrationService integrations;

    public IntegrationController(IntegrationService integrations) {
        this.integrations = integrations;
    }

    @Operation(summary = "List integrations", description = "Declared and stored, sorted by name; secrets redacted")
    @Get(produces = MediaType.APPLICATION_JSON)
    public List<IntegrationView> list() {
        return integrations.list().stream().map(this::view).toList();
    }

    @Operation(summary = "One integration")
    @ApiResponse(responseCode = "404", description = "No integration with that id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get(value = "/{id}", produces = MediaType.APPLICATION_JSON)
    public IntegrationView get(String id) {
        return view(integrations.get(id));
    }

    @Operation(summary = "Create an integration", requestBody = @RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IntegrationRequest.class))))
    @ApiResponse(responseCode = "201", description = "Stored; every dispatcher applies it within a second",
            content = @Content(schema = @Schema(implementation = IntegrationView.class)))
    @ApiResponse(responseCode = "400", description = "Invalid field, named in the problem's errors (e.g. config.url)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "The name is already used",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "422", description = "Secret settings but no tocsin.secrets.key on this dispatcher",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<IntegrationView> create(@Body byte[] body) {
        IntegrationConfig created = integrations.create(IntegrationRequest.read(body));
        return HttpResponse.created(view(created), URI.create("/api/v1/integrations/" + created.id()));
    }

    @Operation(summary = "Replace an integration", description = "Secret settings sent as ******** keep their stored value",
            requestBody = @RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IntegrationRequest.class))))
    @ApiResponse(responseCode = "404", description = "No integration with that id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "Declared in configuration (read-only), or the name is taken",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Put(value = "/{id}", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public IntegrationView update(String id, @Body byte[] body) {
        return view(integrations.update(id, IntegrationRequest.read(body)));
    }

    @Operation(summary = "Delete an integration")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "409", description = "Declared in configuration (read-only)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Delete("/{id}")
    public HttpResponse<Void> delete(String id) {
        integrations.delete(id);
        return HttpResponse.noContent();
    }

    @Operation(summary = "Send a test notification to a stored or declared integration", description = "One attempt, no retries")
    @Post(value = "/{id}/test", produces = MediaType.APPLICATION_JSON)
    public TestResult test(String id) {
        return integrations.test(integrations.get(id));
    }

    @Operation(summary = "Send a test notification to an unsaved integration", requestBody = @RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IntegrationRequest.class))))
    @Post(value = "/test", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public TestResult testUnsaved(@Body byte[] body) {
        return integrations.test(integrations.unsaved(IntegrationRequest.read(body)));
    }

    private IntegrationView view(IntegrationConfig integration) {
        return IntegrationView.of(integration, integrations.notifierOf(integration));
    }
}
