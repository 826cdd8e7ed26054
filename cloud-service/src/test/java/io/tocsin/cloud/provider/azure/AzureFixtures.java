package io.tocsin.cloud.provider.azure;

import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.credentials.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** The recorded Azure responses of {@code src/test/resources/azure} (each with a {@code .source} note) and a test credential. */
final class AzureFixtures {

    static final String TENANT = "ce6b8358-1a2b-4c3d-8e9f-49b8c7a5cbc2";
    static final String APPLICATION = "7f649053-1a2b-4c3d-8e9f-2179c1fa83b8";
    static final String SUBSCRIPTION = "6fafe95c-1a2b-4c3d-8e9f-1c33daa1c2c3";
    static final String GROUP = "cc";
    static final String ACCOUNT = "mybackupazure";
    /** The seed's example secret, made whole; the '/' makes its form encoding differ from its text. */
    static final String SECRET = "jbzW9tj4AyXHDkfO/KoTL9OP5EexpD6jeHROo2S4tcsn";
    /** The access token of entra-token.json, what every call must carry and no message may. */
    static final String TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsIng1dCI6Ik1uQ19WWmNBVGZNNXBP...";
    static final String TOKEN_PATH = "/" + TENANT + "/oauth2/v2.0/token";

    private AzureFixtures() {
    }

    static String read(String name) {
        try (InputStream in = AzureFixtures.class.getResourceAsStream("/azure/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture azure/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A credential as the credentials API stores it (seed 000's fields), with {@code overrides} (an empty value removes a field). */
    static CloudCredential credential(Map<String, String> overrides) {
        Map<String, String> fields = new HashMap<>(Map.of("application_id", APPLICATION, "client_secret", SECRET, "tenant_id", TENANT,
                "subscription_id", SUBSCRIPTION, "resource_group", GROUP, "storage_account", ACCOUNT));
        fields.putAll(overrides);
        fields.values().removeIf(String::isEmpty);
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        return new CloudCredential("azure-" + Integer.toHexString(fields.hashCode()), Provider.AZURE, "azure-test", "", "", fields, now, now);
    }

    static CloudCredential credential() {
        return credential(Map.of());
    }

    /** Settings pointing every endpoint at {@code base} (https://127.0.0.1:port/), fast and without retries. */
    static AzureSettings settings(String base, String blobEndpoint, Duration operationWait, int blockSize) {
        return new AzureSettings(URI.create(base), false, URI.create(base), "https://management.core.windows.net/", blobEndpoint,
                Duration.ofSeconds(2), Duration.ofSeconds(2), 0, Duration.ofMillis(10), operationWait, Duration.ofMillis(20), blockSize);
    }
}
