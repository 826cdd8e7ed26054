package io.tocsin.dispatcher.delivery;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one delivery attempt (from a {@link Notifier}) or of a whole delivery (from
 * {@link DeliveryEngine}). Reasons are short, operator-facing and free of secrets: never a URL (it may carry a
 * token) nor a request body.
 */
public sealed interface DeliveryResult {

    /** A short description for logs and dead letters. */
    String reason();

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
     * @param retryAfter how long the receiver asked us to wait (Retry-After), when it did
     */
    record Retryable(String reason, Optional<Duration> retryAfter) implements DeliveryResult {

        public Retryable {
            Objects.requireNonNull(reason, "reason");
            retryAfter = retryAfter == null ? Optional.empty() : retryAfter;
        }

        public Retryable(String reason) {
            this(reason, Optional.empty());
        }
    }

    /** The receiver refused the event, or it cannot be sent; sending it again will not help (e.g. 400, 404). */
    record Permanent(String reason) implements DeliveryResult {

        public Permanent {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
