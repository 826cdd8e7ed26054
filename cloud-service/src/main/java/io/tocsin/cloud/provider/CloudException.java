package io.tocsin.cloud.provider;

/**
 * A provider call that did not succeed, classified so the API can answer what a person can act on. The message
 * names the operation and the provider's error code and message; it never contains a credential's secret (the
 * providers' SDKs do not echo them; adapters must not add them).
 */
public class CloudException extends RuntimeException {

    /** What went wrong, from the caller's point of view. */
    public enum Kind {
        /** The credential was refused or lacks a permission (AWS AuthFailure/UnauthorizedOperation, HTTP 401/403). API: 422. */
        DENIED,
        /** The instance, bucket, object, VPC or subnet does not exist. API: 404. */
        NOT_FOUND,
        /** The provider refused the request's content (bad CIDR, bad region, conflicting state). API: 400/409. */
        INVALID,
        /** The provider could not be reached, timed out, throttled or answered 5xx: try again. API: 503 with Retry-After. */
        UNAVAILABLE
    }

    private final Kind kind;

    public CloudException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
