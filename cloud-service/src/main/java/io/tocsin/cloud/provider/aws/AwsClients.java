package io.tocsin.cloud.provider.aws;

import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.provider.CloudException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The AWS SDK clients of each credential, built on demand and kept: one per (credential id, its {@code updatedAt},
 * region, service). A credential replaced through the API has a new {@code updatedAt}, so its next call builds new
 * clients and the old ones are closed; clients not used for {@value #IDLE_MINUTES} minutes (a deleted credential's,
 * a region looked at once) are closed too. A transfer can last longer than that: S3 clients are {@linkplain #leaseS3
 * leased} for one, and a leased client is neither idle nor closed under its transfer (a replaced credential's is
 * closed when its last lease ends). The EC2 and STS calls take seconds, bounded by {@code request-timeout}.
 *
 * <p>Every client has the credential's static keys (a session token when it has one; never the SDK's default chain,
 * which would read this host's environment or instance role), the JDK's {@code HttpURLConnection} client, the
 * timeouts and attempts of {@link AwsSettings} and the endpoint overrides.
 *
 * <p>Error contract: a region that is not an AWS region name → {@link CloudException} {@code INVALID} naming
 * {@code location}; nothing else is thrown here (the SDK's builders do not call AWS).
 */
@Singleton
public class AwsClients implements AutoCloseable {

    static final long IDLE_MINUTES = 10;
    /** As the credentials API checks defaultRegion: eu-west-1, us-gov-west-1, eusc-de-east-1. */
    private static final Pattern REGION = Pattern.compile("[a-z]{2,}(-[a-z]+)+-\\d{1,2}");

    private final AwsSettings settings;
    private final Clock clock;
    private final Map<Key, Entry> clients = new ConcurrentHashMap<>();

    public AwsClients(AwsSettings settings) {
        this(settings, Clock.systemUTC());
    }

    AwsClients(AwsSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    public AwsSettings settings() {
        return settings;
    }

    /**
     * The region a request means: {@code location} when given, otherwise the credential's default region.
     *
     * @throws CloudException INVALID when neither is given or the value is not a region name
     */
    public static String region(CloudCredential credential, String location) {
        String region = location == null || location.isBlank() ? credential.defaultRegion() : location.trim();
        if (region == null || region.isBlank()) {
            throw new CloudException(CloudException.Kind.INVALID, "No AWS region: give location (or region), or a defaultRegion "
                    + "to credential " + credential.id(), null);
        }
        if (!isRegion(region)) {
            throw new CloudException(CloudException.Kind.INVALID, "location '" + region + "' is not an AWS region name "
                    + "(e.g. eu-west-1, us-gov-west-1)", null);
        }
        return region;
    }

    /** Whether {@code value} looks like an AWS region name (eu-west-1, us-gov-west-1, eusc-de-east-1). */
    public static boolean isRegion(String value) {
        return value != null && REGION.matcher(value).matches();
    }

    public Ec2Client ec2(CloudCredential credential, String region) {
        return client(credential, region, Service.EC2);
    }

    public StsClient sts(CloudCredential credential, String region) {
        return client(credential, region, Service.STS);
    }

    /**
     * The S3 client of {@code credential} in {@code region}, held until the lease is closed: not closed meanwhile,
     * however long the transfer takes and whatever other calls evict.
     */
    public Lease<S3Client> leaseS3(CloudCredential credential, String region) {
        synchronized (this) {
            Entry entry = entry(credential, region, Service.S3);
            entry.leases++;
            return new Lease<>(this, entry);
        }
    }

    /** A client held for a transfer; {@link #close} ends the hold (idempotent). */
    public static final class Lease<T> implements AutoCloseable {
        private final AwsClients owner;
        private final Entry entry;
        private boolean released;

        private Lease(AwsClients owner, Entry entry) {
            this.owner = owner;
            this.entry = entry;
        }

        @SuppressWarnings("unchecked")
        public T client() {
            return (T) entry.client;
        }

        @Override
        public void close() {
            synchronized (owner) {
                if (!released) {
                    released = true;
                    owner.release(entry);
                }
            }
        }
    }

    /** How many clients are kept, for tests of the cache. */
    synchronized int size() {
        return clients.size();
    }

    @SuppressWarnings("unchecked")
    private synchronized <T extends SdkAutoCloseable> T client(CloudCredential credential, String region, Service service) {
        return (T) entry(credential, region, service).client;
    }

    private Entry entry(CloudCredential credential, String region, Service service) {
        Instant now = clock.instant();
        evict(credential, now);
        Key key = new Key(credential.id(), credential.updatedAt(), region, service);
        Entry entry = clients.computeIfAbsent(key, k -> new Entry(build(credential, region, service)));
        entry.lastUsed = now;
        return entry;
    }

    /**
     * Drops the clients of older versions of this credential and every client idle for too long, closing them unless
     * leased (a replaced credential's leased client is closed by its last release; a leased one is never idle).
     */
    private void evict(CloudCredential credential, Instant now) {
        Instant idleSince = now.minus(Duration.ofMinutes(IDLE_MINUTES));
        for (Iterator<Map.Entry<Key, Entry>> it = clients.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Entry> next = it.next();
            Key key = next.getKey();
            Entry entry = next.getValue();
            boolean replaced = key.credentialId.equals(credential.id()) && !Objects.equals(key.updatedAt, credential.updatedAt());
            boolean idle = entry.leases == 0 && entry.lastUsed.isBefore(idleSince);
            if (replaced || idle) {
                it.remove();
                // A short EC2/STS call still running on it fails as UNAVAILABLE; the next one builds a fresh client.
                retire(entry);
            }
        }
    }

    /** Drops the clients of a deleted credential (a leased one is closed when its transfer ends). */
    public synchronized void forget(String credentialId) {
        for (Iterator<Map.Entry<Key, Entry>> it = clients.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Entry> next = it.next();
            if (next.getKey().credentialId().equals(credentialId)) {
                it.remove();
                retire(next.getValue());
            }
        }
    }

    private void retire(Entry entry) {
        if (entry.leases == 0) {
            entry.client.close();
        } else {
            entry.retired = true;
        }
    }

    private void release(Entry entry) {
        entry.leases--;
        entry.lastUsed = clock.instant();
        if (entry.retired && entry.leases == 0) {
            entry.client.close();
        }
    }

    private SdkAutoCloseable build(CloudCredential credential, String region, Service service) {
        return switch (service) {
            case EC2 -> configure(Ec2Client.builder(), credential, region, settings.requestTimeout())
                    .applyMutation(b -> settings.ec2Endpoint(region).ifPresent(b::endpointOverride)).build();
            case STS -> configure(StsClient.builder(), credential, region, settings.requestTimeout())
                    .applyMutation(b -> settings.stsEndpoint(region).ifPresent(b::endpointOverride)).build();
            case S3 -> configure(S3Client.builder(), credential, region, settings.transferTimeout())
                    .forcePathStyle(settings.s3PathStyle())
                    .applyMutation(b -> {
                        if (settings.s3ChecksumsWhenRequired()) {
                            b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
                        }
                    })
                    .applyMutation(b -> settings.s3Endpoint(region).ifPresentOrElse(b::endpointOverride,
                            // On AWS itself, a bucket in another region than the credential's is followed there.
                            () -> b.crossRegionAccessEnabled(true)))
                    .build();
        };
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, CloudCredential credential,
                                                                                       String region, Duration callTimeout) {
        return builder.region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(credentials(credential)))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(settings.connectTimeout())
                        .socketTimeout(settings.readTimeout()))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(callTimeout)
                        // The SDK's standard strategy (backoff with jitter; throttling, 5xx and I/O errors), bounded.
                        .retryStrategy(strategy -> strategy.maxAttempts(settings.maxAttempts()))
                        .build());
    }

    private static AwsCredentials credentials(CloudCredential credential) {
        String keyId = credential.field("accessKeyId");
        String secret = credential.field("secretAccessKey");
        String session = credential.field("sessionToken");
        return session.isEmpty() ? AwsBasicCredentials.create(keyId, secret) : AwsSessionCredentials.create(keyId, secret, session);
    }

    @PreDestroy
    @Override
    public synchronized void close() {
        clients.values().forEach(entry -> entry.client.close());
        clients.clear();
    }

    private enum Service { EC2, STS, S3 }

    private record Key(String credentialId, Instant updatedAt, String region, Service service) {
    }

    /** One client; {@code leases} and {@code retired} are guarded by the {@link AwsClients} it belongs to. */
    private static final class Entry {
        final SdkAutoCloseable client;
        volatile Instant lastUsed;
        int leases;
        boolean retired;

        Entry(SdkAutoCloseable client) {
            this.client = client;
        }
    }
}
