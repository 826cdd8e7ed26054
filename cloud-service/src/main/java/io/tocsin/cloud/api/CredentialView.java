package io.tocsin.cloud.api;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.credentials.CredentialFields;
import java.util.Map;
import java.util.TreeMap;

/**
 * A cloud credential as the API answers it: every secret field reads {@value CredentialFields#REDACTED}, so no
 * answer ever carries a secret. The same object is a valid {@code PUT} body: the placeholders keep the stored values.
 */
@Serdeable
@Schema(name = "CloudCredential", description = "A stored cloud credential; secret fields read \"<redacted>\"")
public record CredentialView(
        @Schema(description = "Id given at creation", example = "0b6f3c52-6a3e-4f7e-9f1d-5d2f0c7e9a10") String id,
        @Schema(description = "aws, gcp or azure", allowableValues = {"aws", "gcp", "azure"}) String provider,
        @Schema(description = "Unique name", example = "production") String name,
        @Schema(description = "Free text, empty when none") String comment,
        @Schema(description = "Region (AWS), region or zone (Google Cloud), location (Azure); empty when none", example = "eu-west-1")
        String defaultRegion,
        @Schema(description = "The provider's credential fields (see CloudCredentialRequest); secret ones (secretAccessKey, "
                + "sessionToken, private_key, private_key_id, client_secret) read \"<redacted>\"",
                example = "{\"accessKeyId\": \"AKIAIOSFODNN7EXAMPLE\", \"secretAccessKey\": \"<redacted>\"}")
        Map<String, String> credentials,
        @Schema(description = "ISO-8601") String createdAt,
        @Schema(description = "ISO-8601; when it was last replaced") String updatedAt) {

    public static CredentialView of(CloudCredential credential) {
        Map<String, String> fields = new TreeMap<>();
        credential.fields().forEach((field, value) ->
                fields.put(field, CredentialFields.isSecret(field) ? CredentialFields.REDACTED : value));
        return new CredentialView(credential.id(), credential.provider().apiName(), credential.name(), credential.comment(),
                credential.defaultRegion(), fields, credential.createdAt().toString(), credential.updatedAt().toString());
    }
}
