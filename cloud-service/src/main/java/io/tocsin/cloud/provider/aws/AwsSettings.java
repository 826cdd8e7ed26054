package io.tocsin.cloud.provider.aws;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * How the cloud service reaches AWS ({@code tocsin.cloud.aws.*}): every endpoint is overridable, for an
 * S3-compatible store (MinIO, Ceph), a VPC endpoint, a partition the SDK does not know, or a test server. An
 * endpoint may contain {@code {region}}, replaced by the request's region
 * ({@code https://ec2.{region}.example.internal}); without it, the one endpoint serves every region.
 *
 * @param ec2Endpoint    EC2 API endpoint (instances, VPCs); none: the SDK's regional endpoint
 * @param stsEndpoint    STS endpoint (verify); none: the SDK's regional endpoint
 * @param s3Endpoint     S3 endpoint (backups); none: the SDK's endpoint for the bucket's region
 * @param s3PathStyle    address buckets as {@code endpoint/bucket/key} instead of {@code bucket.endpoint/key}; what most
 *                       S3-compatible stores need
 * @param connectTimeout TCP connect timeout of one attempt
 * @param readTimeout    longest wait for the next bytes of an answer (a stalled connection fails after it)
 * @param requestTimeout bounds one EC2 or STS call, the SDK's retries included, so that an API call answers in time
 * @param transferTimeout bounds one S3 call (one part of an upload, a listing page, the start of a download)
 * @param maxAttempts    attempts of one call, the SDK's own retries of throttling, 5xx and network errors (1: none)
 * @param s3PartSize     bytes of one multipart upload part; the one part held in memory per upload. S3 allows at most
 *                       10,000 parts, so a stream of unknown length may be up to 10,000 times this (78 GiB at 8 MiB)
 * @param s3Checksums    {@code when-supported}: the SDK adds a CRC32 checksum to every upload and checks downloads (its
 *                       default since 2.30); {@code when-required}: only where S3 requires one, for S3-compatible stores
 *                       that refuse the newer checksum headers or aws-chunked trailers
 *                       (https://docs.aws.amazon.com/sdkref/latest/guide/feature-dataintegrity.html)
 */
@ConfigurationProperties("tocsin.cloud.aws")
public record AwsSettings(@Nullable String ec2Endpoint,
                          @Nullable String stsEndpoint,
                          @Nullable String s3Endpoint,
                          @Bindable(defaultValue = "false") boolean s3PathStyle,
                          @Bindable(defaultValue = "5s") Duration connectTimeout,
                          @Bindable(defaultValue = "30s") Duration readTimeout,
                          @Bindable(defaultValue = "30s") Duration requestTimeout,
                          @Bindable(defaultValue = "5m") Duration transferTimeout,
                          @Bindable(defaultValue = "3") int maxAttempts,
                          @Bindable(defaultValue = "8388608") long s3PartSize,
                          @Bindable(defaultValue = "when-supported") String s3Checksums) {

    /** S3's smallest part but the last (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html). */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** Kept well under 2 GiB: one part is one byte array. */
    public static final long MAX_PART_SIZE = 512L * 1024 * 1024;

    public AwsSettings {
        ec2Endpoint = blankToNull(ec2Endpoint);
        stsEndpoint = blankToNull(stsEndpoint);
        s3Endpoint = blankToNull(s3Endpoint);
        for (String endpoint : new String[] {ec2Endpoint, stsEndpoint, s3Endpoint}) {
            if (endpoint != null) {
                URI uri = URI.create(endpoint.replace("{region}", "region"));
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw new IllegalArgumentException("tocsin.cloud.aws endpoints must be absolute http(s) URLs, was " + endpoint);
                }
            }
        }
        positive("connect-timeout", connectTimeout);
        positive("read-timeout", readTimeout);
        positive("request-timeout", requestTimeout);
        positive("transfer-timeout", transferTimeout);
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("tocsin.cloud.aws.max-attempts must be 1 to 10, was " + maxAttempts);
        }
        if (!"when-supported".equals(s3Checksums) && !"when-required".equals(s3Checksums)) {
            throw new IllegalArgumentException("tocsin.cloud.aws.s3-checksums must be when-supported or when-required, was "
                    + s3Checksums);
        }
        if (s3PartSize < MIN_PART_SIZE || s3PartSize > MAX_PART_SIZE) {
            throw new IllegalArgumentException("tocsin.cloud.aws.s3-part-size must be " + MIN_PART_SIZE + " to " + MAX_PART_SIZE
                    + " bytes (S3's minimum part is 5 MiB), was " + s3PartSize);
        }
    }

    /** The defaults: AWS's own endpoints. */
    public static AwsSettings defaults() {
        return new AwsSettings(null, null, null, false, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofMinutes(5), 3, 8L * 1024 * 1024, "when-supported");
    }

    /** Whether the SDK should checksum only the uploads S3 requires a checksum for. */
    public boolean s3ChecksumsWhenRequired() {
        return "when-required".equals(s3Checksums);
    }

    public Optional<URI> ec2Endpoint(String region) {
        return endpoint(ec2Endpoint, region);
    }

    public Optional<URI> stsEndpoint(String region) {
        return endpoint(stsEndpoint, region);
    }

    public Optional<URI> s3Endpoint(String region) {
        return endpoint(s3Endpoint, region);
    }

    private static Optional<URI> endpoint(String template, String region) {
        return Optional.ofNullable(template).map(value -> URI.create(value.replace("{region}", region)));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("tocsin.cloud.aws." + name + " must be positive, was " + value);
        }
    }
}
