package io.tocsin.cloud.provider.aws;

import static io.tocsin.cloud.provider.aws.AwsWireMock.SECRET;
import static io.tocsin.cloud.provider.aws.AwsWireMock.SESSION_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.cloud.provider.CloudException.Kind;
import io.tocsin.cloud.provider.CloudExceptionKindTest;
import io.tocsin.cloud.provider.CloudProvider;
import io.tocsin.testing.CapturedLogs;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every way an AWS call fails, through the real SDK against WireMock answering the error documents AWS sends (test
 * resources {@code aws/*-error-*.xml} with their sources), or not answering at all: each becomes the
 * {@link CloudException} kind the API answers with, its message names the operation and AWS's code, and no message
 * or log line holds the secret key or session token.
 */
class AwsErrorsTest {

    final CapturedLogs logs = new CapturedLogs();
    final AwsWireMock aws = new AwsWireMock();
    final List<AwsClients> opened = new ArrayList<>();
    final CloudCredential credential = AwsWireMock.credential("c1", true);
    final List<String> messages = new ArrayList<>();

    @AfterEach
    void stop() {
        opened.forEach(AwsClients::close);
        aws.close();
        assertThat(String.join("\n", messages)).doesNotContain(SECRET).doesNotContain(SESSION_TOKEN);
        assertThat(logs.text()).doesNotContain(SECRET).doesNotContain(SESSION_TOKEN);
        logs.close();
    }

    AwsProvider provider(AwsSettings settings) {
        AwsClients clients = new AwsClients(settings);
        opened.add(clients);
        return new AwsProvider(clients);
    }

    CloudException failure(Runnable call) {
        CloudException e = catchThrowableOfType(CloudException.class, call::run);
        assertThat(e).as("a CloudException").isNotNull();
        messages.add(e.getMessage());
        return e;
    }

    @Test
    void aRefusedCredentialIsDenied() {
        aws.stub("StopInstances", 401, "ec2-error-AuthFailure.xml");
        aws.stub("DescribeInstances", 403, "ec2-error-UnauthorizedOperation.xml");
        AwsProvider provider = provider(aws.settings(3));

        CloudException authFailure = failure(() -> provider.stop(credential, null, "i-1234567890abcdef0"));
        assertThat(authFailure.kind()).isEqualTo(Kind.DENIED);
        // The JDK's HttpURLConnection drops the body of a 401 to a streamed POST, so the message says what a 401 from AWS means.
        assertThat(authFailure.getMessage()).startsWith("AWS EC2 StopInstances i-1234567890abcdef0 (eu-west-1) failed: HTTP 401: "
                + "AWS did not accept the credential (EC2's AuthFailure");
        CloudException unauthorized = failure(() -> provider.instances(credential, "eu-west-1"));
        assertThat(unauthorized.kind()).isEqualTo(Kind.DENIED);
        assertThat(unauthorized.getMessage()).startsWith("AWS EC2 DescribeInstances (eu-west-1) failed: UnauthorizedOperation (HTTP 403): "
                + "You are not authorized to perform this operation.");
        assertThat(aws.requests("StopInstances")).as("a denial is not retried").hasSize(1);
        assertThat(aws.requests("DescribeInstances")).as("a denial is not retried").hasSize(1);
    }

    @Test
    void verifyAnswersARefusedCredentialAsNotOk() {
        aws.stub("GetCallerIdentity", 403, "sts-error-InvalidClientTokenId.xml");

        CloudProvider.Verification verified = provider(aws.settings(1)).verify(credential);

        assertThat(verified.ok()).isFalse();
        assertThat(verified.identity()).isEmpty();
        assertThat(verified.detail()).isEqualTo("AWS STS GetCallerIdentity (eu-west-1) failed: InvalidClientTokenId (HTTP 403): "
                + "The security token included in the request is invalid. [request id a2c47f7e-0196-4b45-af18-a9e99e4d9ed5]");
        messages.add(verified.detail());
    }

    @Test
    void anUnknownInstanceIsNotFound() {
        aws.stub("TerminateInstances", 400, "ec2-error-InvalidInstanceID.NotFound.xml");

        CloudException e = failure(() -> provider(aws.settings(1)).terminate(credential, null, "i-1a2b3c4d"));

        assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(e.getMessage()).contains("EC2 TerminateInstances i-1a2b3c4d", "InvalidInstanceID.NotFound (HTTP 400)",
                "The instance ID 'i-1a2b3c4d' does not exist");
    }

    @Test
    void aRefusedRequestIsInvalid() {
        aws.stub("RebootInstances", 400, "ec2-error-InvalidParameterValue.xml");

        CloudException e = failure(() -> provider(aws.settings(1)).reboot(credential, null, "i-1234567890abcdef0"));

        assertThat(e.kind()).isEqualTo(Kind.INVALID);
        assertThat(e.getMessage()).contains("InvalidParameterValue (HTTP 400)");
    }

    @Test
    void throttlingAndServerErrorsAreUnavailableAfterTheSdksBoundedRetries() {
        aws.stub("DescribeInstances", 503, "ec2-error-RequestLimitExceeded.xml");
        aws.stub("StopInstances", 500, "ec2-error-InternalError.xml");
        AwsProvider provider = provider(aws.settings(2));

        CloudException throttled = failure(() -> provider.instances(credential, null));
        assertThat(throttled.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(throttled.getMessage()).contains("RequestLimitExceeded (HTTP 503): Request limit exceeded.");
        CloudException internal = failure(() -> provider.stop(credential, null, "i-1234567890abcdef0"));
        assertThat(internal.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(internal.getMessage()).contains("InternalError (HTTP 500): An internal error has occurred.");
        // max-attempts 2: the SDK tried each twice, and no more.
        assertThat(aws.requests("DescribeInstances")).hasSize(2);
        assertThat(aws.requests("StopInstances")).hasSize(2);
    }

    @Test
    void anUnreachableOrSlowEndpointIsUnavailableWithinTheTimeout() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String nowhere = "http://127.0.0.1:" + closedPort;
        AwsSettings unreachable = new AwsSettings(nowhere, nowhere, null, false, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(2), 1, AwsSettings.MIN_PART_SIZE, "when-supported");
        CloudException refused = failure(() -> provider(unreachable).instances(credential, null));
        assertThat(refused.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(refused.getMessage()).startsWith("AWS EC2 DescribeInstances (eu-west-1) failed: AWS could not be reached or did not "
                + "answer in time: SdkClientException");
        assertThatThrownBy(() -> provider(unreachable).verify(credential)).isInstanceOf(CloudException.class)
                .satisfies(e -> assertThat(((CloudException) e).kind()).isEqualTo(Kind.UNAVAILABLE));

        aws.stubSlow("DescribeVpcs", Duration.ofSeconds(5));
        aws.stubSlow("DescribeInstances", Duration.ofSeconds(5));
        long start = System.nanoTime();
        CloudException slow = failure(() -> provider(aws.settings(1)).instances(credential, null));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("bounded by the timeouts").isLessThan(Duration.ofSeconds(4));
        assertThat(slow.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(slow.getMessage()).contains("did not answer in time");
    }

    @Test
    void kindsFollowTheCodeBeforeTheStatus() {
        assertThat(AwsErrors.kind("SignatureDoesNotMatch", 403, false)).isEqualTo(Kind.DENIED);
        assertThat(AwsErrors.kind("AccessDenied", 403, false)).isEqualTo(Kind.DENIED);
        assertThat(AwsErrors.kind("InvalidAccessKeyId", 403, false)).isEqualTo(Kind.DENIED);
        assertThat(AwsErrors.kind("NoSuchBucket", 404, false)).isEqualTo(Kind.NOT_FOUND);
        assertThat(AwsErrors.kind("NoSuchKey", 404, false)).isEqualTo(Kind.NOT_FOUND);
        assertThat(AwsErrors.kind("InvalidVpcID.NotFound", 400, false)).isEqualTo(Kind.NOT_FOUND);
        assertThat(AwsErrors.kind("SlowDown", 503, false)).isEqualTo(Kind.UNAVAILABLE);
        assertThat(AwsErrors.kind("Throttling", 400, false)).as("STS throttles with 400").isEqualTo(Kind.UNAVAILABLE);
        assertThat(AwsErrors.kind("", 502, false)).isEqualTo(Kind.UNAVAILABLE);
        assertThat(AwsErrors.kind("", 403, false)).isEqualTo(Kind.DENIED);
        assertThat(AwsErrors.kind("", 404, false)).as("S3 HEAD answers without a body").isEqualTo(Kind.NOT_FOUND);
        assertThat(AwsErrors.kind("DependencyViolation", 400, false)).isEqualTo(Kind.INVALID);
        assertThat(AwsErrors.kind("IncorrectInstanceState", 400, false)).isEqualTo(Kind.INVALID);
        assertThat(AwsErrors.kind("", 408, false)).as("a timed-out request is retried, as GCP's and Azure's").isEqualTo(Kind.UNAVAILABLE);
        assertThat(AwsErrors.kind("PermanentRedirect", 301, false)).as("S3: the bucket is in another region").isEqualTo(Kind.INVALID);
    }

    @Test
    void aBareStatusIsClassifiedAsForStatusSays() {
        assertThat(CloudExceptionKindTest.disagreements(status -> AwsErrors.kind("", status, false))).isEmpty();
    }

    @Test
    void aSecretEchoedByAServerIsCutFromTheMessage() {
        String echoed = "AWS S3 PutObject failed: SignatureDoesNotMatch: the key " + SECRET + " and token " + SESSION_TOKEN;
        assertThat(AwsErrors.scrub(credential, echoed)).isEqualTo(
                "AWS S3 PutObject failed: SignatureDoesNotMatch: the key <redacted> and token <redacted>");
    }
}
