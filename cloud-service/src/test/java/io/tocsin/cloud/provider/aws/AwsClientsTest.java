package io.tocsin.cloud.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.provider.CloudException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The client cache: one client per credential version, region and service, reused; a replaced credential's and
 * idle clients closed; endpoints with {@code {region}}; region names checked. The clients built reach WireMock, so a
 * closed one is seen failing and a new one working.
 */
class AwsClientsTest {

    final AwsWireMock aws = new AwsWireMock();
    final MutableClock clock = new MutableClock();
    final AwsClients clients = new AwsClients(aws.settings(1), clock);

    @AfterEach
    void stop() {
        clients.close();
        aws.close();
    }

    @Test
    void aClientIsKeptPerCredentialVersionRegionAndService() {
        CloudCredential credential = AwsWireMock.credential("c1", false);
        Ec2Client ec2 = clients.ec2(credential, "eu-west-1");

        assertThat(clients.ec2(credential, "eu-west-1")).isSameAs(ec2);
        assertThat(clients.ec2(credential, "us-east-1")).isNotSameAs(ec2);
        assertThat(clients.sts(credential, "eu-west-1")).isNotNull();
        assertThat(clients.ec2(AwsWireMock.credential("c2", false), "eu-west-1")).isNotSameAs(ec2);
        assertThat(clients.size()).isEqualTo(4);
    }

    @Test
    void aReplacedCredentialsClientsAreClosedAndNewOnesUseItsNewKeys() {
        CloudCredential credential = AwsWireMock.credential("c1", false);
        Ec2Client old = clients.ec2(credential, "eu-west-1");
        clients.sts(credential, "eu-west-1");
        CloudCredential replaced = new CloudCredential("c1", credential.provider(), credential.name(), "", "eu-west-1",
                Map.of("accessKeyId", "AKIAREPLACEDKEY00001", "secretAccessKey", "replaced/secret/0000000000"),
                credential.createdAt(), credential.updatedAt().plusSeconds(60));

        Ec2Client renewed = clients.ec2(replaced, "eu-west-1");

        assertThat(renewed).isNotSameAs(old);
        assertThat(clients.size()).as("the old version's two clients are gone").isEqualTo(1);
        // A call still holding the old client fails as a CloudException like any other unavailability.
        assertThatThrownBy(() -> AwsErrors.call(credential, "EC2 DescribeInstances", old::describeInstances))
                .isInstanceOf(CloudException.class).hasMessageContaining("the client was closed meanwhile")
                .satisfies(e -> assertThat(((CloudException) e).kind()).isEqualTo(CloudException.Kind.UNAVAILABLE));
        renewed.describeInstances();
        assertThat(aws.requests("DescribeInstances").getFirst().getHeader("Authorization")).contains("Credential=AKIAREPLACEDKEY00001/");
    }

    @Test
    void clientsIdleForTenMinutesAreClosed() {
        CloudCredential deleted = AwsWireMock.credential("deleted", false);
        clients.ec2(deleted, "eu-west-1");
        clock.advance(Duration.ofMinutes(AwsClients.IDLE_MINUTES).minusSeconds(1));
        clients.ec2(AwsWireMock.credential("c1", false), "eu-west-1");
        assertThat(clients.size()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(2));
        clients.ec2(AwsWireMock.credential("c1", false), "eu-west-1");
        assertThat(clients.size()).as("the deleted credential's client was idle too long").isEqualTo(1);
    }

    @Test
    void aLeasedS3ClientOutlivesIdlenessAndReplacementUntilItsTransferEnds() {
        CloudCredential credential = AwsWireMock.credential("c1", false);
        try (AwsClients clients = withLocalS3()) {
            AwsClients.Lease<S3Client> transfer = clients.leaseS3(credential, "eu-west-1");
            S3Client s3 = transfer.client();

            // An hour-long upload while the watcher polls EC2 every minute: the S3 client is not idle.
            for (int minute = 0; minute < 60; minute++) {
                clock.advance(Duration.ofMinutes(1));
                clients.ec2(credential, "eu-west-1");
            }
            AwsClients.Lease<S3Client> again = clients.leaseS3(credential, "eu-west-1");
            assertThat(again.client()).as("kept, not rebuilt").isSameAs(s3);
            assertThat(clients.size()).isEqualTo(2);

            // The credential replaced mid-transfer: new calls get new clients, the transfers keep theirs until they end.
            AwsClients.Lease<S3Client> next = clients.leaseS3(replaced(credential), "eu-west-1");
            assertThat(next.client()).isNotSameAs(s3);
            assertThat(open(credential, s3)).isTrue();
            transfer.close();
            transfer.close(); // idempotent: one release
            assertThat(open(credential, s3)).as("the second lease still holds it").isTrue();
            again.close();
            assertThat(open(credential, s3)).as("closed with its last lease").isFalse();
            assertThat(open(credential, next.client())).isTrue();
            next.close();
        }
    }

    @Test
    void aDeletedCredentialsClientsAreForgottenAndALeasedOneClosedWhenItsTransferEnds() {
        CloudCredential credential = AwsWireMock.credential("c1", false);
        try (AwsClients clients = withLocalS3()) {
            AwsClients.Lease<S3Client> transfer = clients.leaseS3(credential, "eu-west-1");
            clients.ec2(credential, "eu-west-1");
            clients.ec2(AwsWireMock.credential("c2", false), "eu-west-1");
            new AwsProvider(clients).forget("c1");
            assertThat(clients.size()).as("c2's client stays").isEqualTo(1);
            assertThat(open(credential, transfer.client())).as("the running transfer keeps its client").isTrue();
            transfer.close();
            assertThat(open(credential, transfer.client())).isFalse();
        }
    }

    @Test
    void anUnleasedIdleS3ClientIsClosedLikeAnyOther() {
        CloudCredential credential = AwsWireMock.credential("c1", false);
        try (AwsClients clients = withLocalS3()) {
            AwsClients.Lease<S3Client> transfer = clients.leaseS3(credential, "eu-west-1");
            transfer.close();
            clock.advance(Duration.ofMinutes(AwsClients.IDLE_MINUTES + 1));
            clients.ec2(credential, "eu-west-1");
            assertThat(clients.size()).isEqualTo(1);
            assertThat(open(credential, transfer.client())).isFalse();
        }
    }

    private AwsClients withLocalS3() {
        return new AwsClients(new AwsSettings(aws.url(), aws.url(), aws.url(), true, Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ofSeconds(3), Duration.ofSeconds(30), 1, AwsSettings.MIN_PART_SIZE, "when-supported"), clock);
    }

    private static CloudCredential replaced(CloudCredential credential) {
        return new CloudCredential(credential.id(), credential.provider(), credential.name(), "", "eu-west-1", credential.fields(),
                credential.createdAt(), credential.updatedAt().plusSeconds(60));
    }

    /** Whether the client still makes calls (the local server answers 404 to this one; a closed client cannot ask). */
    private static boolean open(CloudCredential credential, S3Client s3) {
        try {
            AwsErrors.call(credential, "S3 ListObjectsV2", () -> s3.listObjectsV2(b -> b.bucket("backups")));
            return true;
        } catch (CloudException e) {
            return !e.getMessage().contains("the client was closed meanwhile");
        }
    }

    @Test
    void endpointsMayNameTheRegion() {
        AwsSettings settings = new AwsSettings("https://ec2.{region}.example.internal", null, "http://127.0.0.1:9000", true,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 1, AwsSettings.MIN_PART_SIZE, "when-supported");

        assertThat(settings.ec2Endpoint("eu-north-1")).hasValueSatisfying(uri -> assertThat(uri).hasToString("https://ec2.eu-north-1.example.internal"));
        assertThat(settings.stsEndpoint("eu-north-1")).isEmpty();
        assertThat(settings.s3Endpoint("eu-north-1")).hasValueSatisfying(uri -> assertThat(uri).hasToString("http://127.0.0.1:9000"));
        assertThatThrownBy(() -> new AwsSettings("not a url", null, null, false, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), 1, AwsSettings.MIN_PART_SIZE, "when-supported")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AwsSettings(null, null, null, false, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 1024, "when-supported")).hasMessageContaining("s3-part-size");
    }

    @Test
    void regionsAreTheRequestsOrTheDefaultAndMustBeRegionNames() {
        CloudCredential credential = AwsWireMock.credential("c1", false);
        assertThat(AwsClients.region(credential, null)).isEqualTo("eu-west-1");
        assertThat(AwsClients.region(credential, " ")).isEqualTo("eu-west-1");
        assertThat(AwsClients.region(credential, "us-gov-west-1")).isEqualTo("us-gov-west-1");
        assertThatThrownBy(() -> AwsClients.region(credential, "eu-west-1a")).isInstanceOf(CloudException.class)
                .hasMessage("location 'eu-west-1a' is not an AWS region name (e.g. eu-west-1, us-gov-west-1)");
    }

    @Test
    void s3ChecksumsCanBeLimitedToWhereS3RequiresThem() {
        aws.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.put(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/backups/.*"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200).withHeader("ETag", "\"e\"")));
        CloudCredential credential = AwsWireMock.credential("c1", false);
        for (String mode : List.of("when-supported", "when-required")) {
            AwsSettings settings = new AwsSettings(null, null, aws.url(), true, Duration.ofSeconds(2), Duration.ofSeconds(2),
                    Duration.ofSeconds(2), Duration.ofSeconds(5), 1, AwsSettings.MIN_PART_SIZE, mode);
            try (AwsClients s3 = new AwsClients(settings)) {
                new S3BackupStorage(s3).upload(credential, "backups", mode, new java.io.ByteArrayInputStream(new byte[10]), 10, null);
            }
        }
        List<String> supported = checksumHeaders("/backups/when-supported");
        assertThat(supported).as("the SDK's default: a CRC32 with every upload").isNotEmpty();
        assertThat(checksumHeaders("/backups/when-required")).as("PutObject requires none").isEmpty();
    }

    private List<String> checksumHeaders(String path) {
        return aws.server.getAllServeEvents().stream().map(event -> event.getRequest()).filter(request -> request.getUrl().equals(path))
                .flatMap(request -> request.getHeaders().all().stream())
                .filter(header -> header.key().toLowerCase().contains("checksum") || header.key().equalsIgnoreCase("x-amz-trailer"))
                .map(header -> header.key() + ": " + header.firstValue()).toList();
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
