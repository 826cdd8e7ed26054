package io.tocsin.cloud.instances;

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
 * Documents the problem+json 404 of an instance action: no credential of that id, or the provider knows no such
 * instance ({@code NOT_FOUND}). One source for Stop, Reboot and Terminate; read by micronaut-openapi as a
 * meta-annotation, like {@link io.tocsin.cloud.api.ProviderErrors}; nothing at run time reads it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ApiResponse(responseCode = "404", description = "No credential with that id, or no such instance",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@interface NoSuchInstance {
}
