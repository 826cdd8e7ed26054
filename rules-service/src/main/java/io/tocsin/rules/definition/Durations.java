package io.tocsin.rules.definition;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way Tocsin's rules read a duration, in rules files, source labels ({@code tocsin.expected-interval}) and
 * {@code tocsin.rules.heartbeat-sources}: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}, {@code 2d}, or
 * ISO-8601 ({@code PT1M}).
 */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("([0-9]{1,12})(ms|s|m|h|d)");

    private Durations() {
    }

    /** The positive duration {@code text} spells, or {@code null} when it is absent, unreadable, zero or negative. */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String value = text.strip();
        Duration parsed;
        Matcher m = SHORT.matcher(value);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            parsed = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } else if (value.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                parsed = Duration.parse(value.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException | ArithmeticException e) {
                return null;
            }
        } else {
            return null;
        }
        return parsed.isZero() || parsed.isNegative() ? null : parsed;
    }
}
