package io.tocsin.cloud.instances;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/**
 * The body of {@code POST .../instances/{instanceId}/terminate}, for the OpenAPI document (the controller reads it by
 * hand, so that every mistake is answered naming {@code confirm}).
 */
@Schema(name = "CloudInstanceTerminateConfirmation", description = "Terminating cannot be undone: repeat the instance id to confirm")
public record TerminateConfirmation(
        @Schema(requiredMode = RequiredMode.REQUIRED, description = "The instance id of the path, exactly",
                example = "i-1234567890abcdef0") String confirm) {
}
