package io.tocsin.cloud.credentials;

import java.util.Set;

/**
 * Which credential fields are secret: sealed with {@code SecretBox} before they reach Kafka, write-only in the API
 * (answered as {@link #REDACTED}), never logged. Everything else (key ids, project, tenant, subscription) is shown.
 */
public final class CredentialFields {

    public static final String REDACTED = "<redacted>";

    private static final Set<String> SECRET = Set.of(
            "secretAccessKey", "sessionToken",  // AWS
            "private_key", "private_key_id",    // Google Cloud service account key
            "client_secret");                   // Azure service principal

    private CredentialFields() {
    }

    public static boolean isSecret(String field) {
        return SECRET.contains(field);
    }
}
