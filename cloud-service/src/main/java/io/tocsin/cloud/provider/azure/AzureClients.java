package io.tocsin.cloud.provider.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.resourcemanager.compute.ComputeManager;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.provider.CloudException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;

/**
 * The Azure SDK clients of each credential, built once and kept: a {@code ClientSecretCredential} (whose MSAL token
 * cache then serves every call until the token expires, instead of one token request per call), the Resource
 * Manager clients and the Blob service client. All share one JDK HTTP client with the configured time-outs; the
 * Netty client is not on the class path.
 *
 * <p>Error contract: a credential without one of the fields a call needs gives {@link CloudException.Kind#INVALID}
 * naming the field; building a client calls nothing, so nothing else fails here.
 */
@Singleton
public class AzureClients {

    /** Credentials kept: one per credential in use; the least recently used goes when a replaced one adds more. */
    private static final int MAX_SESSIONS = 64;

    private final AzureSettings settings;
    private final SSLContext tls;
    private final Map<String, Session> sessions = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Session> eldest) {
            return size() > MAX_SESSIONS;
        }
    };
    private HttpClient http;

    @Inject
    public AzureClients(AzureSettings settings) {
        this(settings, null);
    }

    /** With {@code tls} for the HTTPS connections instead of the JVM's default (a test server's certificate). */
    public AzureClients(AzureSettings settings, SSLContext tls) {
        this.settings = settings;
        this.tls = tls;
    }

    AzureSettings settings() {
        return settings;
    }

    /** The Resource Manager clients of {@code credential}: compute, and through it network and resource groups. */
    ComputeManager compute(CloudCredential credential) {
        Session session = session(credential);
        synchronized (session) {
            if (session.compute == null) {
                // Azure's public cloud with the configured endpoints (the SDK reads other keys too, e.g. Graph's).
                Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
                endpoints.put("resourceManagerEndpointUrl", settings.resourceManagerEndpoint().toString());
                endpoints.put("activeDirectoryEndpointUrl", settings.authorityHost().toString());
                // The token audience: the SDK asks for "<managementEndpointUrl>/.default".
                endpoints.put("managementEndpointUrl", settings.resourceManagerAudience());
                AzureEnvironment environment = new AzureEnvironment(endpoints);
                AzureProfile profile = new AzureProfile(required(credential, "tenant_id"), required(credential, "subscription_id"), environment);
                session.compute = ComputeManager.configure().withHttpClient(http()).withRetryOptions(retryOptions())
                        .authenticate(session.token, profile);
            }
            return session.compute;
        }
    }

    /** The Blob service client of the credential's {@code storage_account}. */
    BlobServiceClient blobs(CloudCredential credential) {
        String account = required(credential, "storage_account");
        Session session = session(credential);
        synchronized (session) {
            if (session.blobs == null) {
                // Storage's own retry options: exponential, each try bounded by the HTTP client's time-outs.
                RequestRetryOptions retry = RequestRetryOptions.fromRetryOptions(retryOptions(), null, null);
                session.blobs = new BlobServiceClientBuilder().endpoint(settings.blobEndpointOf(account)).credential(session.token)
                        .httpClient(http()).retryOptions(retry).buildClient();
            }
            return session.blobs;
        }
    }

    /** A field the call needs; INVALID naming it when the credential has none (stored before it was required). */
    static String required(CloudCredential credential, String field) {
        String value = credential.field(field);
        if (value.isBlank()) {
            throw new CloudException(CloudException.Kind.INVALID, "The Azure credential " + credential.id() + " has no "
                    + field + "; add it with PUT /api/v1/cloud/credentials/" + credential.id(), null);
        }
        return value;
    }

    private Session session(CloudCredential credential) {
        String tenant = required(credential, "tenant_id");
        String application = required(credential, "application_id");
        String secret = required(credential, "client_secret");
        // Keyed by every field (a digest: the secret is not kept twice): a rotated secret or another subscription
        // gets new clients; the replaced ones age out.
        String key = credential.id() + "|" + digest(new TreeMap<>(credential.fields()).toString());
        synchronized (sessions) {
            return sessions.computeIfAbsent(key, k -> {
                ClientSecretCredentialBuilder builder = new ClientSecretCredentialBuilder().tenantId(tenant).clientId(application)
                        .clientSecret(secret).authorityHost(settings.authorityHost().toString()).httpClient(http())
                        .retryOptions(retryOptions()).maxRetry(settings.maxRetries());
                if (!settings.instanceDiscovery()) {
                    builder.disableInstanceDiscovery();
                }
                return new Session(builder.build());
            });
        }
    }

    /** Drops the clients and token of a deleted credential. */
    void forget(String credentialId) {
        synchronized (sessions) {
            sessions.keySet().removeIf(key -> key.startsWith(credentialId + "|"));
        }
    }

    /** How many credentials have clients here (tests). */
    int sessions() {
        synchronized (sessions) {
            return sessions.size();
        }
    }

    private synchronized HttpClient http() {
        if (http == null) {
            java.net.http.HttpClient.Builder jdk = java.net.http.HttpClient.newBuilder();
            if (tls != null) {
                jdk.sslContext(tls);
            }
            // The JDK client logs a warning for each request whose Content-Length the pipeline sets (the JDK sets it
            // itself from the body, so nothing is lost): common/logback.xml lowers that logger.
            http = new JdkHttpClientBuilder(jdk).connectionTimeout(settings.connectTimeout()).readTimeout(settings.readTimeout())
                    .responseTimeout(settings.readTimeout()).writeTimeout(settings.readTimeout()).build();
        }
        return http;
    }

    private RetryOptions retryOptions() {
        return new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(settings.maxRetries())
                .setBaseDelay(settings.retryDelay()).setMaxDelay(settings.retryDelay().multipliedBy(8)));
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** One credential's clients. */
    private static final class Session {
        final TokenCredential token;
        ComputeManager compute;
        BlobServiceClient blobs;

        Session(TokenCredential token) {
            this.token = token;
        }
    }
}
