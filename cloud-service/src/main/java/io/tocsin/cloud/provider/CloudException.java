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
        UNAVAILABLE;

        /**
         * The kind of a bare HTTP status, for an answer whose provider error code (checked first, by each adapter:
         * the codes are provider facts) says nothing more: 401 and 403 are {@link #DENIED}; 404 is
         * {@link #NOT_FOUND}; 408 (the provider timed out waiting), 429 (throttled) and every 5xx are
         * {@link #UNAVAILABLE}; every other 4xx is {@link #INVALID}. A status below 400, including 0, means there
         * was no error answer to go by (no response at all: refused, reset, timed out): {@link #UNAVAILABLE}, try
         * again; so does a status above 599, which HTTP does not define. An adapter that got a real answer below 400 that nonetheless failed (a redirect, a long-running
         * operation that ended failed) decides that case itself before calling this.
         *
         * <p>Never throws; every int has a kind.
         */
        public static Kind forStatus(int status) {
            if (status == 401 || status == 403) {
                return DENIED;
            }
            if (status == 404) {
                return NOT_FOUND;
            }
            if (status >= 400 && status < 500 && status != 408 && status != 429) {
                return INVALID;
            }
            return UNAVAILABLE;
        }
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
