package io.tocsin.dispatcher.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;

/**
 * Turns an HTTP answer into a {@link DeliveryResult}: 2xx delivered; 408, 425, 429 and 5xx retryable (with the
 * receiver's Retry-After, as seconds or an HTTP-date); 3xx permanent, because redirects are not followed (a
 * redirect could send a body with a token elsewhere, and a moved hook is a configuration to fix); any other
 * 4xx permanent: the receiver will refuse the same request again.
 */
public final class HttpStatusClassifier {

    private HttpStatusClassifier() {
    }

    public static DeliveryResult classify(int status, Optional<String> retryAfter) {
        return classify(status, retryAfter, Instant.now());
    }

    /** As {@link #classify(int, Optional)}, with the time an HTTP-date Retry-After is measured from. */
    public static DeliveryResult classify(int status, Optional<String> retryAfter, Instant now) {
        if (status >= 200 && status < 300) {
            return DeliveryResult.Delivered.INSTANCE;
        }
        String reason = "HTTP " + status;
        if (status == 408 || status == 425 || status == 429 || (status >= 500 && status < 600)) {
            return new DeliveryResult.Retryable(failure(status), reason, status,
                    retryAfter.flatMap(value -> parseRetryAfter(value, now)));
        }
        if (status >= 300 && status < 400) {
            return new DeliveryResult.Permanent(Failure.CONFIG, reason + " (redirects are not followed)", status);
        }
        return new DeliveryResult.Permanent(failure(status), reason, status);
    }

    /** The failure kind of a non-2xx status, for metrics and the delivery log. */
    static Failure failure(int status) {
        return switch (status) {
            case 401, 403 -> Failure.AUTH;
            case 408 -> Failure.TIMEOUT;
            case 429 -> Failure.RATE_LIMITED;
            default -> status >= 500 ? Failure.SERVER : Failure.CLIENT;
        };
    }

    /**
     * The wait a Retry-After header asks for (RFC 9110 section 10.2.3): delay-seconds or an HTTP-date; empty
     * when it is neither, so a malformed header only loses the hint, not the retry.
     */
    public static Optional<Duration> parseRetryAfter(String value, Instant now) {
        String text = value.trim();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (text.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
            } catch (NumberFormatException e) {
                return Optional.empty(); // more digits than a long: not a wait anyone means
            }
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
