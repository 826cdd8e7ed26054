package io.tocsin.cloud.api;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.tocsin.common.http.Problem;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents the problem+json 501 of an endpoint that looks up the adapter of the credential's provider (an instance
 * or storage adapter, see {@code CredentialService} and {@code BackupService}) when this build has none. Like
 * {@link ProviderErrors}, read by micronaut-openapi as a meta-annotation; nothing at run time reads it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ApiResponse(responseCode = "501", description = "This build has no adapter for the credential's provider",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public @interface NoAdapterError {
}
