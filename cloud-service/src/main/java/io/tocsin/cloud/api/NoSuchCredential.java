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
 * Documents the problem+json 404 of an endpoint whose only "not found" is the credential of its path. An endpoint
 * that may also miss a provider resource (an instance, a VPC, a bucket) documents its own 404 instead, saying which.
 * Like {@link ProviderErrors}, read by micronaut-openapi as a meta-annotation; nothing at run time reads it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ApiResponse(responseCode = "404", description = "No credential with that id",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public @interface NoSuchCredential {
}
