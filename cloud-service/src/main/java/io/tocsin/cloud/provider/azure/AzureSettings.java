package io.tocsin.cloud.provider.azure;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.ReadableBytes;
import java.net.URI;
import java.time.Duration;

/**
 * Where and how the Azure adapters call Azure ({@code tocsin.cloud.azure.*}). The defaults are Azure's public cloud;
 * a sovereign cloud or Azure Stack Hub sets the three endpoints and the audience (the values {@code az cloud show}
 * prints: {@code activeDirectory}, {@code resourceManager}, {@code activeDirectoryResourceId}, and the storage suffix).
 *
 * @param authorityHost           Microsoft Entra ID authority the client secret is exchanged at
 *                                ({@code {authority-host}{tenant_id}/oauth2/v2.0/token})
 * @param instanceDiscovery       whether MSAL checks the authority against Microsoft's instance discovery endpoint
 *                                (on {@code login.microsoftonline.com}) before the first token; turn it off for an
 *                                authority that endpoint does not know (Azure Stack Hub, a private cloud, tests)
 * @param resourceManagerEndpoint Azure Resource Manager (virtual machines, network interfaces, resource groups)
 * @param resourceManagerAudience the resource the ARM token is asked for (scope {@code <audience>/.default})
 * @param blobEndpoint            Blob service endpoint, {@code {account}} replaced by the credential's
 *                                {@code storage_account}; path-style ({@code https://host:port/{account}}) works too
 * @param connectTimeout          TCP and TLS connection set-up, every call
 * @param readTimeout             longest silence while a response is read, every call
 * @param maxRetries              retries of a throttled (429), failed (5xx) or broken call, by the SDKs' own
 *                                exponential back-off; nothing else retries
 * @param retryDelay              first back-off delay (doubling, at most 8 times this)
 * @param operationWait           how long stop, reboot and terminate wait for Azure's long-running operation to end
 *                                before they answer 503 (the operation goes on in Azure)
 * @param operationPollInterval   how often a long-running operation is polled when Azure sends no Retry-After
 * @param blockSize               bytes per Blob block of an upload: the memory one upload holds; at most 50,000
 *                                blocks per blob, so 8 MiB blocks allow a 390 GiB file
 */
@ConfigurationProperties("tocsin.cloud.azure")
public record AzureSettings(
        @Bindable(defaultValue = "https://login.microsoftonline.com/") URI authorityHost,
        @Bindable(defaultValue = "true") boolean instanceDiscovery,
        @Bindable(defaultValue = "https://management.azure.com/") URI resourceManagerEndpoint,
        @Bindable(defaultValue = "https://management.core.windows.net/") String resourceManagerAudience,
        @Bindable(defaultValue = "https://{account}.blob.core.windows.net") String blobEndpoint,
        @Bindable(defaultValue = "10s") Duration connectTimeout,
        @Bindable(defaultValue = "60s") Duration readTimeout,
        @Bindable(defaultValue = "3") int maxRetries,
        @Bindable(defaultValue = "800ms") Duration retryDelay,
        @Bindable(defaultValue = "5m") Duration operationWait,
        @Bindable(defaultValue = "5s") Duration operationPollInterval,
        @Bindable(defaultValue = "8MB") @ReadableBytes int blockSize) {

    /** Azure Blob's largest block count per blob (https://learn.microsoft.com/rest/api/storageservices/put-block-list). */
    static final int MAX_BLOCKS = 50_000;

    public AzureSettings {
        authorityHost = withSlash(authorityHost, "authority-host");
        resourceManagerEndpoint = withSlash(resourceManagerEndpoint, "resource-manager-endpoint");
        if (!blobEndpoint.startsWith("https://") || !blobEndpoint.contains("{account}")) {
            throw new IllegalArgumentException("tocsin.cloud.azure.blob-endpoint must be an https:// URL containing {account}, "
                    + "e.g. https://{account}.blob.core.windows.net");
        }
        if (maxRetries < 0 || maxRetries > 10) {
            throw new IllegalArgumentException("tocsin.cloud.azure.max-retries must be 0 to 10");
        }
        // Put Block takes up to 4000 MiB; 64 KiB keeps a block count of 50,000 from being reached by small files.
        if (blockSize < 64 * 1024 || blockSize > 256 * 1024 * 1024) {
            throw new IllegalArgumentException("tocsin.cloud.azure.block-size must be 64KB to 256MB");
        }
        for (Duration d : new Duration[] {connectTimeout, readTimeout, retryDelay, operationWait, operationPollInterval}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("tocsin.cloud.azure durations must be positive");
            }
        }
    }

    /** The defaults: Azure's public cloud. */
    public static AzureSettings defaults() {
        return new AzureSettings(URI.create("https://login.microsoftonline.com/"), true, URI.create("https://management.azure.com/"),
                "https://management.core.windows.net/", "https://{account}.blob.core.windows.net", Duration.ofSeconds(10),
                Duration.ofSeconds(60), 3, Duration.ofMillis(800), Duration.ofMinutes(5), Duration.ofSeconds(5), 8 * 1024 * 1024);
    }

    /** The Blob endpoint of {@code account}. */
    String blobEndpointOf(String account) {
        return blobEndpoint.replace("{account}", account);
    }

    private static URI withSlash(URI uri, String key) {
        if (!"https".equals(uri.getScheme())) {
            // Both Entra ID (MSAL) and the SDKs' bearer-token policy refuse to send credentials over plain HTTP.
            throw new IllegalArgumentException("tocsin.cloud.azure." + key + " must be an https:// URL");
        }
        return uri.toString().endsWith("/") ? uri : URI.create(uri + "/");
    }
}
