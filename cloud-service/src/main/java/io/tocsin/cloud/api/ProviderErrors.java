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
 * Documents, in the OpenAPI document, the problem+json answers of an endpoint that calls a provider: 422 when the
 * provider refused the credential or a permission ({@code DENIED}) and 503 with {@code Retry-After} when it could
 * not be reached, timed out or throttled ({@code UNAVAILABLE}), as {@link CloudExceptionHandler} answers them. One
 * source for the texts of every cloud controller; micronaut-openapi reads {@code @ApiResponse} on a meta-annotation
 * (a Micronaut stereotype) as if it were on the method. Documentation only: nothing at run time reads it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ApiResponse(responseCode = "422", description = "The provider refused the credential or a permission",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "503", description = "The provider could not be reached or throttled; Retry-After says when to retry",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public @interface ProviderErrors {
}
