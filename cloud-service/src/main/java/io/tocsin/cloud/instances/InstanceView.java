package io.tocsin.cloud.instances;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.tocsin.cloud.provider.Instance;
import java.util.List;

/** An instance as {@code GET /api/v1/cloud/credentials/{id}/instances} answers it, the same for every provider. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "CloudInstance", description = "A virtual machine: an EC2 instance, a Compute Engine instance or an Azure VM")
public record InstanceView(
        @Schema(description = "The provider's id: i-0abc... (AWS), the instance name (Google Cloud), the VM name (Azure)",
                example = "i-1234567890abcdef0") String id,
        @Schema(description = "Display name: the Name tag (AWS), else the instance or VM name; empty when none", example = "db-1")
        String name,
        @Schema(description = "Normalised state (AWS shutting-down is STOPPING; Compute Engine TERMINATED is STOPPED)",
                allowableValues = {"PENDING", "RUNNING", "STOPPING", "STOPPED", "TERMINATED", "UNKNOWN"}) String state,
        @Schema(description = "The provider's own word for the state", example = "running") String providerState,
        @Schema(description = "Machine type", example = "t3.micro") String type,
        @Schema(description = "Availability zone (AWS), zone (Google Cloud), location (Azure)", example = "eu-west-1c") String location,
        @Schema(description = "Private IP addresses, the primary first") List<String> privateAddresses,
        @Schema(description = "Public IP addresses (IPv4 first, then IPv6), the primary first") List<String> publicAddresses) {

    public static InstanceView of(Instance instance) {
        return new InstanceView(instance.id(), instance.name(), instance.state().name(), instance.providerState(), instance.type(),
                instance.location(), instance.privateAddresses(), instance.publicAddresses());
    }
}
