package io.tocsin.cloud.provider.gcp;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.ReadableBytes;
import java.net.URI;
import java.time.Duration;

/**
 * Where and how long the Google Cloud adapters talk to Google ({@code tocsin.cloud.gcp.*}). The endpoints exist for
 * private connectivity (Private Service Connect, a proxy) and for tests (a local server).
 *
 * @param computeEndpoint  Compute Engine's REST base URL; the client library appends {@code /compute/v1/projects/...}
 * @param storageEndpoint  Cloud Storage's JSON API base URL ({@code /storage/v1/...}, {@code /upload/storage/v1/...})
 * @param tokenEndpoint    the OAuth 2.0 token endpoint the service account's signed JWT is exchanged at; when unset,
 *                         the key file's {@code token_uri}, and without one {@code https://oauth2.googleapis.com/token}
 * @param connectTimeout   longest wait for a TCP/TLS connection to any of them
 * @param readTimeout      longest wait for a response's bytes (the token exchange, each Cloud Storage request; Compute
 *                         Engine requests are bounded by {@code callTimeout})
 * @param callTimeout      longest time of one Compute Engine or Cloud Storage call, the client library's own retries
 *                         included (a chunk of an upload is one call)
 * @param maxAttempts      attempts of a call the client library retries (reads and idempotent writes on 429/5xx or
 *                         a broken connection); 1 turns the retries off. Stop, reset and delete are never retried
 * @param operationWait    how long stop, reboot and terminate wait for their zone operation to be {@code DONE}
 * @param operationPollInterval time between two reads of a zone operation while waiting
 * @param uploadChunkSize  bytes of a resumable upload sent per request, held in memory once per running upload; a
 *                         multiple of 256 KiB (Cloud Storage's rule for every chunk but the last)
 */
@ConfigurationProperties("tocsin.cloud.gcp")
public record GcpSettings(@Bindable(defaultValue = "https://compute.googleapis.com") String computeEndpoint,
                          @Bindable(defaultValue = "https://storage.googleapis.com") String storageEndpoint,
                          @Nullable String tokenEndpoint,
                          @Bindable(defaultValue = "5s") Duration connectTimeout,
                          @Bindable(defaultValue = "20s") Duration readTimeout,
                          @Bindable(defaultValue = "30s") Duration callTimeout,
                          @Bindable(defaultValue = "3") int maxAttempts,
                          @Bindable(defaultValue = "2m") Duration operationWait,
                          @Bindable(defaultValue = "2s") Duration operationPollInterval,
                          @Bindable(defaultValue = "8MB") @ReadableBytes int uploadChunkSize) {

    /** Cloud Storage: "chunks must be a multiple of 256 KiB" (https://cloud.google.com/storage/docs/performing-resumable-uploads). */
    public static final int CHUNK_QUANTUM = 256 * 1024;
    static final String DEFAULT_TOKEN_ENDPOINT = "https://oauth2.googleapis.com/token";

    public GcpSettings {
        computeEndpoint = endpoint("compute-endpoint", computeEndpoint);
        storageEndpoint = endpoint("storage-endpoint", storageEndpoint);
        tokenEndpoint = tokenEndpoint == null || tokenEndpoint.isBlank() ? null : endpoint("token-endpoint", tokenEndpoint);
        positive("connect-timeout", connectTimeout);
        positive("read-timeout", readTimeout);
        positive("call-timeout", callTimeout);
        positive("operation-wait", operationWait);
        positive("operation-poll-interval", operationPollInterval);
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("tocsin.cloud.gcp.max-attempts must be at least 1");
        }
        if (uploadChunkSize < CHUNK_QUANTUM || uploadChunkSize % CHUNK_QUANTUM != 0) {
            throw new IllegalArgumentException("tocsin.cloud.gcp.upload-chunk-size must be a multiple of 256KB (262144 bytes), e.g. 8MB");
        }
    }

    /** The defaults, as a deployment without {@code tocsin.cloud.gcp.*} settings gets them. */
    public static GcpSettings defaults() {
        return new GcpSettings("https://compute.googleapis.com", "https://storage.googleapis.com", null, Duration.ofSeconds(5),
                Duration.ofSeconds(20), Duration.ofSeconds(30), 3, Duration.ofMinutes(2), Duration.ofSeconds(2), 8 * 1024 * 1024);
    }

    private static String endpoint(String key, String value) {
        String url = value == null ? "" : value.strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("tocsin.cloud.gcp." + key + " must be an http(s) URL: scheme, host and optional port and path");
        }
        return url;
    }

    private static void positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("tocsin.cloud.gcp." + key + " must be a positive duration, e.g. 30s");
        }
    }
}
