package io.tocsin.cloud.provider.gcp;

import com.google.api.client.http.HttpTransport;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.credentials.Provider;
import io.tocsin.cloud.provider.CloudException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Google credentials from a stored service account key, shared by the Compute Engine and Cloud Storage adapters.
 *
 * <p>The key's fields become {@link ServiceAccountCredentials} through the builder (the same values
 * {@code ServiceAccountCredentials.fromStream} reads from the key file), scoped to {@code cloud-platform}: with a
 * scope the library exchanges a signed JWT for an access token at the token endpoint (the OAuth 2.0 JWT-bearer
 * grant, https://developers.google.com/identity/protocols/oauth2/service-account#httprest) instead of signing its
 * own JWTs per request, so the token endpoint is a real, overridable step ({@link GcpSettings#tokenEndpoint()}).
 * The library caches the token and refreshes it before it expires, so the credentials are kept per credential id
 * until its fields change. Only the JWT assertion (signed, without the key) leaves this process; the key itself
 * never does.
 *
 * <p>The library's own retries of the token request (3, with back-off from 1 s) are turned off: the Compute Engine
 * and Cloud Storage clients retry a failed call themselves within {@code tocsin.cloud.gcp.call-timeout}, so a
 * retry here would only stretch that bound.
 *
 * <p>Error contract: {@link CloudException} {@code INVALID} when the stored fields cannot make credentials (the
 * credentials API validates them first, so only a hand-made record gets there); messages name fields, never values.
 */
@Singleton
public class GcpCredentials {

    /** Compute Engine and Cloud Storage both accept it (https://cloud.google.com/compute/docs/access/service-accounts#accesscopesiam). */
    static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";

    private final GcpSettings settings;
    private final HttpTransport transport;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public GcpCredentials(GcpSettings settings) {
        this.settings = settings;
        this.transport = new BoundedHttpTransport(settings.connectTimeout(), settings.readTimeout());
    }

    /** The HTTP transport every Google client of this service uses (timeouts bounded by the settings). */
    HttpTransport transport() {
        return transport;
    }

    /** The key's {@code project_id}: the project whose instances and buckets are used. */
    static String project(CloudCredential credential) {
        String project = credential.field("project_id");
        if (project.isEmpty()) {
            throw new CloudException(CloudException.Kind.INVALID, "Cloud credential " + credential.id()
                    + " has no credentials.project_id; replace it with the service account key file", null);
        }
        return project;
    }

    /** Drops the opened key and token of a deleted credential. */
    void forget(String credentialId) {
        cache.remove(credentialId);
    }

    /** Whether the credential's key is open here (tests). */
    boolean holds(String credentialId) {
        return cache.containsKey(credentialId);
    }

    /** The credential's Google credentials, scoped to cloud-platform, built once per credential version. */
    GoogleCredentials of(CloudCredential credential) {
        if (credential.provider() != Provider.GCP) {
            throw new IllegalArgumentException("not a Google Cloud credential: " + credential);
        }
        Cached cached = cache.get(credential.id());
        if (cached != null && cached.fields().equals(credential.fields())) {
            return cached.credentials();
        }
        GoogleCredentials built = build(credential);
        cache.put(credential.id(), new Cached(credential.fields(), built));
        return built;
    }

    /**
     * Where the JWT is exchanged: {@code tocsin.cloud.gcp.token-endpoint} when set; else the key's {@code token_uri}
     * when it is Google's (https on {@code oauth2.googleapis.com} or another {@code googleapis.com} host, or
     * {@code accounts.google.com} in older key files); else {@code https://oauth2.googleapis.com/token}.
     *
     * <p>A {@code token_uri} anywhere else is refused, not followed: the JWT the library signs names Google's token
     * endpoint as its audience whatever the URI, so a JWT sent elsewhere could be replayed at Google for its hour;
     * and {@code token_uri} is not secret, so a {@code PUT} that keeps the stored key could point it anywhere. A
     * private token endpoint is the operator's setting instead.
     */
    URI tokenEndpoint(CloudCredential credential) {
        if (settings.tokenEndpoint() != null) {
            return URI.create(settings.tokenEndpoint());
        }
        String uri = credential.field("token_uri");
        if (uri.isEmpty()) {
            return URI.create(GcpSettings.DEFAULT_TOKEN_ENDPOINT);
        }
        if (!isGoogleTokenEndpoint(uri)) {
            throw new CloudException(CloudException.Kind.INVALID, "Cloud credential " + credential.id() + ": credentials.token_uri "
                    + "is not Google's token endpoint (key files say " + GcpSettings.DEFAULT_TOKEN_ENDPOINT + "); the service account "
                    + "key is only sent to Google, or to the endpoint set by tocsin.cloud.gcp.token-endpoint", null);
        }
        return URI.create(uri);
    }

    /**
     * Whether a key file's {@code token_uri} is Google's: https, default port, on a {@code googleapis.com} host or
     * {@code accounts.google.com}. Also applied when a credential is stored, so a foreign one is refused up front.
     */
    public static boolean isGoogleTokenEndpoint(String uri) {
        URI parsed;
        try {
            parsed = URI.create(uri);
        } catch (IllegalArgumentException e) {
            return false;
        }
        String host = parsed.getHost() == null ? "" : parsed.getHost().toLowerCase(Locale.ROOT);
        return "https".equals(parsed.getScheme()) && parsed.getPort() == -1
                && (host.equals("accounts.google.com") || host.endsWith(".googleapis.com"));
    }

    private GoogleCredentials build(CloudCredential credential) {
        ServiceAccountCredentials.Builder builder = ServiceAccountCredentials.newBuilder()
                .setClientEmail(credential.field("client_email"))
                .setProjectId(project(credential))
                .setTokenServerUri(tokenEndpoint(credential))
                .setHttpTransportFactory(() -> transport)
                .setDefaultRetriesEnabled(false)
                .setScopes(List.of(SCOPE));
        if (!credential.field("client_id").isEmpty()) {
            builder.setClientId(credential.field("client_id"));
        }
        if (!credential.field("private_key_id").isEmpty()) {
            builder.setPrivateKeyId(credential.field("private_key_id")); // the JWT's "kid": Google picks the key by it
        }
        try {
            builder.setPrivateKeyString(credential.field("private_key"));
        } catch (IOException | RuntimeException e) {
            // The library's message is about the PEM's shape; the key is not repeated, but do not carry the cause.
            throw new CloudException(CloudException.Kind.INVALID, "Cloud credential " + credential.id()
                    + ": credentials.private_key is not a PKCS#8 RSA private key; replace it with the key file's value", null);
        }
        return builder.build();
    }

    private record Cached(Map<String, String> fields, GoogleCredentials credentials) {
    }
}
