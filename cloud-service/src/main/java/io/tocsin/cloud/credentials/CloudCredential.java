package io.tocsin.cloud.credentials;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A stored cloud credential, in clear text: exists only in memory (the topic holds its secret fields sealed).
 *
 * @param id            stable id (a UUID given at creation)
 * @param provider      whose credential it is
 * @param name          a name for people
 * @param comment       free text, may be empty
 * @param defaultRegion region (AWS), zone or region (Google Cloud), location (Azure) used when a request names none
 * @param fields        the provider's credential fields as given: AWS {@code accessKeyId}, {@code secretAccessKey};
 *                      Google Cloud the service account key file's string fields ({@code type}, {@code project_id},
 *                      {@code private_key}, {@code client_email}, ...); Azure {@code application_id},
 *                      {@code client_secret}, {@code tenant_id}, {@code subscription_id}, {@code resource_group},
 *                      optional {@code storage_account}. Which of them are secret: {@link CredentialFields#isSecret}
 * @param createdAt     when it was created
 * @param updatedAt     when it was last replaced
 */
public record CloudCredential(String id, Provider provider, String name, String comment, String defaultRegion,
                              Map<String, String> fields, Instant createdAt, Instant updatedAt) {

    public CloudCredential {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(provider, "provider");
        fields = Map.copyOf(fields);
    }

    /** A field's value, or the empty string when absent. */
    public String field(String name) {
        return fields.getOrDefault(name, "");
    }

    /** Never prints a field value: a credential must not reach a log line by accident. */
    @Override
    public String toString() {
        return "CloudCredential[id=" + id + ", provider=" + provider.apiName() + ", name=" + name + ", fields=" + fields.keySet() + "]";
    }
}
