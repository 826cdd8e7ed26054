package io.tocsin.cloud.api;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/**
 * The OpenAPI description of the credential bodies. The controller reads bodies by hand
 * ({@code CredentialRequest}, so that every bad field is named at once); these records only tell the document, and
 * the Swagger UI drawn from it, what each provider's {@code credentials} object holds.
 */
public final class CredentialSchemas {

    private CredentialSchemas() {
    }

    /** The body of {@code POST} and {@code PUT}. */
    @Schema(name = "CloudCredentialRequest", description = "A cloud credential as a client sends it. Unknown fields are refused; "
            + "id, createdAt and updatedAt may be sent back as a GET gave them (a PUT checks id against the path)")
    public record Body(
            @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = {"aws", "gcp", "azure"}) String provider,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Unique name, 1-200 characters", example = "production") String name,
            @Schema(description = "Free text, at most 2000 characters") String comment,
            @Schema(description = "Required for AWS (a region name, e.g. eu-west-1); optional Google Cloud region or zone "
                    + "(europe-west1, europe-west1-b) or Azure location (westeurope)", example = "eu-west-1") String defaultRegion,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The provider's credential fields, every value a string. "
                    + "In a PUT a secret field sent as \"<redacted>\" or left out keeps its stored value; \"\" removes an optional field",
                    oneOf = {AwsCredentials.class, GcpServiceAccountKey.class, AzureCredentials.class}) Object credentials) {
    }

    @Schema(name = "AwsCredentials", description = "An IAM access key (provider aws)")
    public record AwsCredentials(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "16-128 letters, digits or underscores",
                    example = "AKIAIOSFODNN7EXAMPLE") String accessKeyId,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Secret, write-only; no spaces or line breaks",
                    example = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY") String secretAccessKey,
            @Schema(description = "Secret, write-only: the session token of temporary credentials (access key ids ASIA...)")
            String sessionToken) {
    }

    @Schema(name = "GcpServiceAccountKey", description = "A service account key file's JSON object as downloaded (provider gcp). "
            + "Other string fields of the file are kept as they are")
    public record GcpServiceAccountKey(
            @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = "service_account") String type,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "my-project") String project_id,
            @Schema(description = "Secret, write-only") String private_key_id,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Secret, write-only: PEM, -----BEGIN PRIVATE KEY----- "
                    + "(PKCS#8 RSA)") String private_key,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "tocsin@my-project.iam.gserviceaccount.com") String client_email,
            @Schema(requiredMode = RequiredMode.NOT_REQUIRED) String client_id,
            @Schema(requiredMode = RequiredMode.NOT_REQUIRED, example = "https://accounts.google.com/o/oauth2/auth") String auth_uri,
            @Schema(requiredMode = RequiredMode.NOT_REQUIRED, example = "https://oauth2.googleapis.com/token") String token_uri,
            @Schema(requiredMode = RequiredMode.NOT_REQUIRED) String auth_provider_x509_cert_url,
            @Schema(requiredMode = RequiredMode.NOT_REQUIRED) String client_x509_cert_url,
            @Schema(requiredMode = RequiredMode.NOT_REQUIRED, example = "googleapis.com") String universe_domain) {
    }

    @Schema(name = "AzureCredentials", description = "Seed 000's Azure JSON: an application (service principal) with a client "
            + "secret (provider azure)")
    public record AzureCredentials(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "GUID", example = "7f649053-0000-4000-8000-2179c1fa83b8") String application_id,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Secret, write-only") String client_secret,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "GUID (the directory id)") String tenant_id,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "GUID") String subscription_id,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "cc") String resource_group,
            @Schema(description = "For backup upload: 3-24 lowercase letters and digits", example = "mybackupazure") String storage_account) {
    }
}
