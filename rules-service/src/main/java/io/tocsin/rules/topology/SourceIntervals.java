package io.tocsin.rules.topology;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Reads the expected interval of a source, from a label or the configuration. */
public final class SourceIntervals {

    private SourceIntervals() {
    }

    /** {@code 90s}, {@code 5m}, {@code 1h}, {@code 500ms} or ISO-8601 ({@code PT1M}); null when absent, unreadable or not positive. */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String value = text.strip().toLowerCase(Locale.ROOT);
        try {
            Duration parsed;
            if (value.startsWith("p")) {
                parsed = Duration.parse(value.toUpperCase(Locale.ROOT));
            } else if (value.endsWith("ms")) {
                parsed = Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            } else {
                long amount = Long.parseLong(value.substring(0, value.length() - 1));
                parsed = switch (value.charAt(value.length() - 1)) {
                    case 's' -> Duration.ofSeconds(amount);
                    case 'm' -> Duration.ofMinutes(amount);
                    case 'h' -> Duration.ofHours(amount);
                    default -> null;
                };
            }
            return parsed == null || parsed.isNegative() || parsed.isZero() ? null : parsed;
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }
}
