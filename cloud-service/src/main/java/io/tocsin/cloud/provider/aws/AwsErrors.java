package io.tocsin.cloud.provider.aws;

import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.cloud.provider.CloudException.Kind;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns what the AWS SDK throws into a {@link CloudException} whose kind says what the caller can do, and whose
 * message names the operation, the region, AWS's error code and message and the request id (for AWS support), and
 * never a secret: AWS does not echo secret keys, and the credential's secret and session token are cut from the
 * message all the same, should an S3-compatible store or a proxy echo them.
 *
 * <p>Codes: EC2 https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html, STS
 * https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html, S3
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList.
 */
public final class AwsErrors {

    /** The credential was refused, expired, or lacks a permission (IAM policy, SCP, opt-in region). */
    private static final Set<String> DENIED = Set.of("AuthFailure", "UnauthorizedOperation", "InvalidClientTokenId",
            "SignatureDoesNotMatch", "AccessDenied", "AccessDeniedException", "InvalidAccessKeyId", "ExpiredToken",
            "ExpiredTokenException", "RequestExpired", "OptInRequired", "Blocked", "InvalidToken", "MissingAuthenticationToken",
            "AuthFailure.ServiceLinkedRoleCreationNotPermitted", "AccountProblem", "AllAccessDisabled");
    /** Besides every EC2 {@code *.NotFound} code (InvalidInstanceID.NotFound, InvalidVpcID.NotFound, ...). */
    private static final Set<String> NOT_FOUND = Set.of("NoSuchBucket", "NoSuchKey", "NoSuchUpload", "NotFound");
    /** Throttling and AWS-side failures sent with a 4xx status or none: retry later. */
    private static final Set<String> UNAVAILABLE = Set.of("RequestLimitExceeded", "Throttling", "ThrottlingException",
            "ThrottledException", "RequestThrottled", "RequestThrottledException", "SlowDown", "TooManyRequestsException",
            "ServiceUnavailable", "Unavailable", "InternalError", "InternalFailure", "ServerInternal", "InsufficientInstanceCapacity",
            "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete");

    private AwsErrors() {
    }

    /**
     * Runs one SDK call, classifying what it throws.
     *
     * @param operation e.g. {@code "EC2 StopInstances i-0abc (eu-west-1)"}: what the message starts with
     */
    public static <T> T call(CloudCredential credential, String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw classify(credential, operation, e);
        } catch (RejectedExecutionException | IllegalStateException e) {
            // A client closed under the call: its credential was replaced or it sat idle (AwsClients). The SDK then
            // fails with its timeout scheduler's RejectedExecutionException or "Connection pool shut down".
            throw new CloudException(Kind.UNAVAILABLE, "AWS " + operation + " failed: the client was closed meanwhile (the "
                    + "credential was replaced); retry", null);
        }
    }

    /** As {@link #call}, for a call without a result. */
    public static void run(CloudCredential credential, String operation, Runnable call) {
        call(credential, operation, () -> {
            call.run();
            return null;
        });
    }

    /** The {@link CloudException} for an SDK exception thrown by {@code operation}. */
    public static CloudException classify(CloudCredential credential, String operation, SdkException e) {
        if (e instanceof AwsServiceException service) {
            AwsErrorDetails details = service.awsErrorDetails();
            String code = details == null || details.errorCode() == null ? "" : details.errorCode();
            String message = details == null || details.errorMessage() == null ? "" : details.errorMessage();
            int status = service.statusCode();
            if (code.isEmpty() && status == 401) {
                // EC2 answers AuthFailure with 401. The JDK's HttpURLConnection (the SDK's url-connection client) in
                // streaming mode drops a 401's body (HttpRetryException internally), so AWS's code is not known here.
                message = "AWS did not accept the credential (EC2's AuthFailure: an unknown or inactive access key id, a "
                        + "wrong secret access key, an expired session token, or a region not enabled for the account)";
            }
            String text = "AWS " + operation + " failed: " + (code.isEmpty() ? "HTTP " + status : code + " (HTTP " + status + ")")
                    + (message.isEmpty() ? "" : ": " + message)
                    + (service.requestId() == null ? "" : " [request id " + service.requestId() + "]");
            return new CloudException(kind(code, status, service.isThrottlingException()), scrub(credential, text), null);
        }
        // SdkClientException: no answer (refused, unknown host, TLS, timeouts: ApiCallTimeoutException and
        // ApiCallAttemptTimeoutException are SdkClientExceptions), or an answer the SDK could not read.
        String what = e instanceof SdkClientException ? "AWS could not be reached or did not answer in time" : "the AWS SDK failed";
        return new CloudException(Kind.UNAVAILABLE, scrub(credential, "AWS " + operation + " failed: " + what + ": "
                + e.getClass().getSimpleName() + ": " + e.getMessage()), null);
    }

    /**
     * The kind of an AWS error answer: its code first (EC2 sends throttling as 503, S3 some denials as 400), then its
     * status by {@link Kind#forStatus}. An AWS error answer below 400 is a real answer, not a missing one: S3's 301
     * {@code PermanentRedirect} (the bucket is in another region,
     * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList) will not go away by
     * retrying, so it is {@code INVALID}.
     */
    static Kind kind(String code, int status, boolean throttling) {
        if (DENIED.contains(code)) {
            return Kind.DENIED;
        }
        if (NOT_FOUND.contains(code) || code.endsWith(".NotFound")) {
            return Kind.NOT_FOUND;
        }
        if (UNAVAILABLE.contains(code) || throttling) {
            return Kind.UNAVAILABLE;
        }
        return status < 400 ? Kind.INVALID : Kind.forStatus(status);
    }

    /** The message without the credential's secret values, whatever echoed them. */
    static String scrub(CloudCredential credential, String text) {
        String scrubbed = text;
        for (String field : new String[] {"secretAccessKey", "sessionToken"}) {
            String secret = credential.field(field);
            if (secret.length() >= 8) {
                scrubbed = scrubbed.replace(secret, "<redacted>");
            }
        }
        return scrubbed;
    }
}
