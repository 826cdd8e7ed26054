package io.tocsin.dispatcher.delivery;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one delivery attempt (from a {@link Notifier}) or of a whole delivery (from the delivery
 * engine). Reasons are short, operator-facing and free of secrets: never a URL (it may carry a token), a
 * password, a key, nor a request body.
 */
public sealed interface DeliveryResult {

    /** A short description for logs, the delivery log and dead letters. */
    String reason();

    /**
     * Why an attempt failed, for the {@code reason} tag of the failure metrics and for the delivery log. The
     * classification a user would graph: is the receiver down, refusing us, or throttling us.
     */
    enum Failure {
        /** The receiver refused the request as malformed (4xx other than auth and rate limiting). */
        CLIENT,
        /** The receiver failed (5xx, or a non-HTTP service's transient error). */
        SERVER,
        /** Credentials refused (401, 403, SMTP 535, SNMP authentication). */
        AUTH,
        /** The receiver asked us to slow down (429). */
        RATE_LIMITED,
        /** No answer in time. */
        TIMEOUT,
        /** The receiver could not be reached (refused connection, DNS, TLS handshake). */
        CONNECT,
        /** The integration's own settings make delivery impossible (bad URL, denied target, missing file). */
        CONFIG;

        /** The metric tag value: {@code rate_limited}. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The receiver took the event. */
    record Delivered() implements DeliveryResult {

        public static final Delivered INSTANCE = new Delivered();

        @Override
        public String reason() {
            return "delivered";
        }
    }

    /**
     * The attempt failed in a way a later attempt may not: a timeout, a refused connection, 429 or 5xx.
     *
     * @param failure    the kind of failure
     * @param reason     what happened, without secrets
     * @param status     the HTTP status (or the service's own error code) when there was one, else 0
     * @param retryAfter how long the receiver asked us to wait (Retry-After), when it did
     */
    record Retryable(Failure failure, String reason, int status, Optional<Duration> retryAfter) implements DeliveryResult {

        public Retryable {
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(reason, "reason");
            retryAfter = retryAfter == null ? Optional.empty() : retryAfter;
        }

        public Retryable(Failure failure, String reason) {
            this(failure, reason, 0, Optional.empty());
        }
    }

    /**
     * The receiver refused the event, or it cannot be sent; sending it again will not help (e.g. 400, 404).
     *
     * @param failure the kind of failure
     * @param reason  what happened, without secrets
     * @param status  the HTTP status (or the service's own error code) when there was one, else 0
     */
    record Permanent(Failure failure, String reason, int status) implements DeliveryResult {

        public Permanent {
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(reason, "reason");
        }

        public Permanent(Failure failure, String reason) {
            this(failure, reason, 0);
        }
    }
}
