package io.tocsin.cloud.api;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.tocsin.cloud.provider.CloudProvider;

/** The answer of {@code POST /api/v1/cloud/credentials/{id}/verify}. */
@Serdeable
@Schema(name = "CloudCredentialVerification", description = "What the provider said about the credential")
public record VerificationView(
        @Schema(description = "The provider accepted the credential") boolean ok,
        @Schema(description = "Who it is: an ARN (AWS), a service account e-mail (Google Cloud), an application id (Azure); "
                + "empty when not ok", example = "arn:aws:iam::123456789012:user/tocsin") String identity,
        @Schema(description = "What the provider said, for a person") String detail) {

    public static VerificationView of(CloudProvider.Verification verification) {
        return new VerificationView(verification.ok(), verification.identity() == null ? "" : verification.identity(),
                verification.detail() == null ? "" : verification.detail());
    }
}
