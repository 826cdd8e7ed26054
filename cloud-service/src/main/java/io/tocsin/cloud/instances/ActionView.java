package io.tocsin.cloud.instances;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/** The answer to a stop, reboot or terminate: the provider accepted it; the instance changes state on its own time. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "CloudInstanceAction", description = "An instance action the provider accepted; list the instances to follow it")
public record ActionView(
        @Schema(description = "The instance acted on", example = "i-1234567890abcdef0") String instanceId,
        @Schema(description = "What was asked", allowableValues = {"stop", "reboot", "terminate"}) String action) {
}
