package io.tocsin.dispatcher.channel.plugin;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Pacemaker's {@code timestamp-format} meta-attribute, the value of {@code CRM_alert_timestamp}: a subset of
 * strftime ({@code %Y %m %d %H %M %S %z %Z %s %%}) plus Pacemaker's fractional seconds {@code %<x>N}, where x is
 * the number of digits (a leading zero is ignored, {@code %06N} = {@code %6N}; more than 6 is 6; {@code %N} and
 * {@code %0N} print nothing; digits are truncated, not rounded). Time is always UTC ({@code %z} = {@code +0000},
 * {@code %Z} = {@code UTC}). See Pacemaker's {@code pcmk__time_format_hr} in {@code lib/common/iso8601.c}.
 *
 * <p>Unlike Pacemaker, which hands anything else to the C library, any other conversion is refused when the
 * integration is validated: the output must not depend on the platform.
 */
final class PacemakerTimestampFormat {

    /** Pacemaker keeps microseconds: more digits than 6 are not available. */
    private static final int MAX_FRACTION_DIGITS = 6;

    private final List<Part> parts;

    private PacemakerTimestampFormat(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /** One piece of the output: literal text or a conversion of the instant. */
    @FunctionalInterface
    private interface Part {
        void append(StringBuilder out, ZonedDateTime time);
    }

    /**
     * Compiles a format.
     *
     * @throws IllegalArgumentException naming the unsupported conversion, or a {@code %} at the end
     */
    static PacemakerTimestampFormat compile(String format) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c != '%') {
                literal.append(c);
                i++;
                continue;
            }
            int start = i + 1;
            int end = start;
            while (end < format.length() && format.charAt(end) >= '0' && format.charAt(end) <= '9') {
                end++;
            }
            if (end >= format.length()) {
                throw new IllegalArgumentException("must not end with an incomplete '%' conversion (write %% for a literal %)");
            }
            char conversion = format.charAt(end);
            String digits = format.substring(start, end);
            if (conversion == 'N') {
                flush(literal, parts);
                parts.add(fraction(fractionDigits(digits)));
            } else if (!digits.isEmpty()) {
                throw new IllegalArgumentException("supports a digit count only in %<digits>N, not in %" + digits + conversion);
            } else if (conversion == '%') {
                literal.append('%');
            } else {
                flush(literal, parts);
                parts.add(conversion(conversion));
            }
            i = end + 1;
        }
        flush(literal, parts);
        return new PacemakerTimestampFormat(parts);
    }

    /** The instant in this format, in UTC. */
    String format(Instant instant) {
        ZonedDateTime time = instant.atZone(ZoneOffset.UTC);
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            part.append(out, time);
        }
        return out.toString();
    }

    private static Part conversion(char conversion) {
        return switch (conversion) {
            case 'Y' -> (out, t) -> out.append(t.getYear());
            case 'm' -> (out, t) -> twoDigits(out, t.getMonthValue());
            case 'd' -> (out, t) -> twoDigits(out, t.getDayOfMonth());
            case 'H' -> (out, t) -> twoDigits(out, t.getHour());
            case 'M' -> (out, t) -> twoDigits(out, t.getMinute());
            case 'S' -> (out, t) -> twoDigits(out, t.getSecond());
            case 'z' -> (out, t) -> out.append("+0000");
            case 'Z' -> (out, t) -> out.append("UTC");
            case 's' -> (out, t) -> out.append(t.toEpochSecond());
            default -> throw new IllegalArgumentException("supports only %Y %m %d %H %M %S %z %Z %s %% and %<digits>N, not %"
                    + conversion);
        };
    }

    /** {@code atoi} of the digits, as Pacemaker: leading zeros ignored, capped at 6. */
    private static int fractionDigits(String digits) {
        String significant = digits.replaceFirst("^0+", "");
        if (significant.isEmpty()) {
            return 0;
        }
        return significant.length() > 1 ? MAX_FRACTION_DIGITS : Math.min(MAX_FRACTION_DIGITS, significant.charAt(0) - '0');
    }

    private static Part fraction(int digits) {
        return (out, t) -> out.append(String.format("%06d", t.getNano() / 1000), 0, digits);
    }

    private static void twoDigits(StringBuilder out, int value) {
        if (value < 10) {
            out.append('0');
        }
        out.append(value);
    }

    private static void flush(StringBuilder literal, List<Part> parts) {
        if (!literal.isEmpty()) {
            String text = literal.toString();
            parts.add((out, t) -> out.append(text));
            literal.setLength(0);
        }
    }
}
