package io.tocsin.cloud.api;

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
import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.credentials.CredentialService;
import io.tocsin.common.http.Problem;
import java.net.URI;
import java.util.List;

/**
 * {@code /api/v1/cloud/credentials}: seed 000's cloud credentials over HTTP (admin token). Changes are stored in
 * {@code tocsin.cloud.credentials}, secret fields encrypted, and applied by every cloud service within a second;
 * the answer comes once this one has applied it. Answers never carry a secret: they read {@code "<redacted>"}.
 * Errors are problem+json (see {@link CredentialService} for which status means what).
 */
@Controller("/api/v1/cloud/credentials")
@ExecuteOn(TaskExecutors.BLOCKING)
public class CredentialController {

    static final String PATH = "/api/v1/cloud/credentials";

    private final CredentialService credentials;

    public CredentialController(CredentialService credentials) {
        this.credentials = credentials;
    }

    @Operation(summary = "List cloud credentials", description = "Sorted by name; secrets redacted")
    @Get(produces = MediaType.APPLICATION_JSON)
    public List<CredentialView> list() {
        return credentials.list().stream().map(CredentialView::of).toList();
    }

    @Operation(summary = "One cloud credential", description = "Secrets redacted")
    @NoSuchCredential
    @Get(value = "/{id}", produces = MediaType.APPLICATION_JSON)
    public CredentialView get(String id) {
        return CredentialView.of(credentials.get(id));
    }

    @Operation(summary = "Create a cloud credential", requestBody = @RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CredentialSchemas.Body.class))))
    @ApiResponse(responseCode = "201", description = "Stored, secret fields encrypted; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CredentialView.class)))
    @ApiResponse(responseCode = "400", description = "Invalid fields, each named in the problem's errors (e.g. credentials.private_key)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "The name is already used",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "413", description = "The body is over 64 KiB",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "422", description = "No tocsin.secrets.key on this cloud service, so secrets cannot be stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<CredentialView> create(@Body byte[] body) {
        CloudCredential created = credentials.create(body);
        return HttpResponse.created(CredentialView.of(created), URI.create(PATH + "/" + created.id()));
    }

    @Operation(summary = "Replace a cloud credential", description = "A secret field sent as \"<redacted>\" or left out keeps its "
            + "stored value, so the body of a GET can be edited and sent back; the provider cannot change",
            requestBody = @RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CredentialSchemas.Body.class))))
    @ApiResponse(responseCode = "400", description = "Invalid fields, each named in the problem's errors",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "The name is already used by another credential",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @NoSuchCredential
    @Put(value = "/{id}", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public CredentialView update(String id, @Body byte[] body) {
        return CredentialView.of(credentials.update(id, body));
    }

    @Operation(summary = "Delete a cloud credential")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @NoSuchCredential
    @Delete("/{id}")
    public HttpResponse<Void> delete(String id) {
        credentials.delete(id);
        return HttpResponse.noContent();
    }

    @Operation(summary = "Ask the provider whether the credential works",
            description = "AWS: STS GetCallerIdentity; Google Cloud and Azure: a token and a read of the project or subscription")
    @ApiResponse(responseCode = "200", description = "The provider answered (ok false: it refused the credential)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = VerificationView.class)))
    @NoSuchCredential
    @ProviderErrors
    @NoAdapterError
    @Post(value = "/{id}/verify", produces = MediaType.APPLICATION_JSON)
    public VerificationView verify(String id) {
        return VerificationView.of(credentials.verify(id));
    }
}
