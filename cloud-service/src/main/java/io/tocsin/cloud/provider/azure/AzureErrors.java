package io.tocsin.cloud.provider.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.management.exception.ManagementException;
import com.azure.storage.blob.models.BlobStorageException;
import com.microsoft.aad.msal4j.MsalServiceException;
import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.credentials.CredentialFields;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.cloud.provider.CloudException.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns whatever the Azure SDKs throw into a {@link CloudException} of the right kind, with a message that names the
 * operation and Azure's error code and message.
 *
 * <p>Classification (ARM error codes: https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors,
 * Blob error codes: https://learn.microsoft.com/rest/api/storageservices/blob-service-error-codes; the code
 * decides first, then the status by {@link Kind#forStatus}): Entra ID refusing
 * the client secret, HTTP 401/403, {@code AuthorizationFailed}, {@code InvalidAuthenticationToken*} → DENIED;
 * HTTP 404, {@code ResourceNotFound}, {@code ResourceGroupNotFound}, {@code ContainerNotFound}, {@code BlobNotFound} →
 * NOT_FOUND; HTTP 408, 429 and 5xx, connection failures and time-outs, transient codes of a failed long-running operation →
 * UNAVAILABLE; any other 4xx, a failed long-running operation with another code, an argument the SDK refuses →
 * INVALID. The credential's client secret is replaced by {@code <redacted>} in every message should a message ever
 * quote it (none of the SDKs' messages is known to).
 */
final class AzureErrors {

    private static final Set<String> DENIED_CODES = Set.of("AuthorizationFailed", "LinkedAuthorizationFailed",
            "InvalidAuthenticationToken", "InvalidAuthenticationTokenTenant", "InvalidAuthenticationTokenAudience",
            "ExpiredAuthenticationToken", "AuthenticationFailed", "AuthorizationPermissionMismatch", "AuthorizationFailure",
            "InvalidAuthenticationInfo", "NoAuthenticationInformation");
    private static final Set<String> NOT_FOUND_CODES = Set.of("ResourceNotFound", "ResourceGroupNotFound", "NotFound",
            "SubscriptionNotFound", "ContainerNotFound", "BlobNotFound", "ParentResourceNotFound");
    /** Codes a failed long-running operation ends with that a later attempt may not meet
     *  (https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/allocation-failure). */
    private static final Set<String> TRANSIENT_CODES = Set.of("InternalServerError", "InternalExecutionError",
            "ServiceUnavailable", "TooManyRequests", "OperationPreempted", "RetryableError", "AllocationFailed",
            "ZonalAllocationFailed", "OverconstrainedAllocationRequest", "OperationTimedOut", "GatewayTimeout", "ServerBusy");

    private static final Pattern XML_MESSAGE = Pattern.compile("<Message>([^<\\n]*)");

    private AzureErrors() {
    }

    /** Runs {@code call}; anything it throws comes out as a {@link CloudException} about {@code operation}. */
    static <T> T call(String operation, CloudCredential credential, Supplier<T> call) {
        try {
            return call.get();
        } catch (CloudException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            throw classify(operation, credential, e);
        }
    }

    static CloudException classify(String operation, CloudCredential credential, Throwable e) {
        Kind kind;
        String what;
        MsalServiceException entra = find(e, MsalServiceException.class);
        if (e instanceof HttpResponseException http && http.getResponse() != null && !(e instanceof ClientAuthenticationException)) {
            int status = http.getResponse().getStatusCode();
            String code = code(http);
            kind = byCode(code, status);
            what = (code.isEmpty() ? "" : code + ": ") + serviceMessage(http) + " (HTTP " + status + ")";
        } else if (entra != null) {
            // Entra ID answered the token request: a refused secret or application (400/401), or an outage.
            Integer status = entra.statusCode();
            kind = status != null && (status == 429 || status >= 500) ? Kind.UNAVAILABLE : Kind.DENIED;
            what = "Microsoft Entra ID refused the token request: " + firstLine(entra.getMessage())
                    + (status == null ? "" : " (HTTP " + status + ")");
        } else if (find(e, IOException.class) != null || find(e, UncheckedIOException.class) != null
                || find(e, TimeoutException.class) != null) {
            Throwable io = find(e, IOException.class) != null ? find(e, IOException.class) : e;
            kind = Kind.UNAVAILABLE;
            what = "Azure could not be reached: " + io.getClass().getSimpleName() + (io.getMessage() == null ? "" : " " + io.getMessage());
        } else if (e instanceof ClientAuthenticationException) {
            kind = Kind.DENIED;
            what = "no token from Microsoft Entra ID: " + firstLine(e.getMessage());
        } else if (e instanceof IllegalArgumentException) {
            kind = Kind.INVALID;
            what = "the Azure SDK refused the request: " + e.getMessage();
        } else {
            kind = Kind.UNAVAILABLE;
            what = "unexpected " + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
        }
        return new CloudException(kind, redact("Azure " + operation + " failed: " + what, credential), e);
    }

    /**
     * The kind of Azure error {@code code} (may be empty) answered with HTTP {@code status}: the code first, then the
     * status by {@link Kind#forStatus}. A status below 400 (0 included) comes with a long-running operation that
     * ended failed (its status poll answers 200, see {@code AzureProvider}): the operation ran and failed, so unless
     * its code says it was transient it is {@code INVALID}, not a missing answer.
     */
    static Kind byCode(String code, int status) {
        if (DENIED_CODES.contains(code) || code.startsWith("InvalidAuthenticationToken")) {
            return Kind.DENIED;
        }
        if (NOT_FOUND_CODES.contains(code)) {
            return Kind.NOT_FOUND;
        }
        if (TRANSIENT_CODES.contains(code)) {
            return Kind.UNAVAILABLE;
        }
        return status < 400 ? Kind.INVALID : Kind.forStatus(status);
    }

    /** A message with the credential's client secret, if it ever contains it, replaced. */
    static String redact(String message, CloudCredential credential) {
        String secret = credential == null ? "" : credential.field("client_secret");
        return secret.length() < 4 || message == null ? message : message.replace(secret, CredentialFields.REDACTED);
    }

    private static String code(HttpResponseException e) {
        if (e instanceof ManagementException management && management.getValue() != null && management.getValue().getCode() != null) {
            return management.getValue().getCode();
        }
        if (e instanceof BlobStorageException blob && blob.getErrorCode() != null) {
            return blob.getErrorCode().toString();
        }
        String header = e.getResponse().getHeaderValue("x-ms-error-code");
        return header == null ? "" : header;
    }

    private static String serviceMessage(HttpResponseException e) {
        if (e instanceof ManagementException management && management.getValue() != null && management.getValue().getMessage() != null) {
            return management.getValue().getMessage();
        }
        if (e instanceof BlobStorageException blob && blob.getServiceMessage() != null) {
            // The service's <Message>, without the RequestId and Time lines that follow it.
            Matcher xml = XML_MESSAGE.matcher(blob.getServiceMessage());
            return xml.find() ? xml.group(1).strip() : firstLine(blob.getServiceMessage());
        }
        return firstLine(e.getMessage());
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).strip();
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
