package io.tocsin.bench;

import io.tocsin.bench.BenchOptions.BadOptionException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command-line grammar every scenario shares: {@code --name value} or {@code --name=value}, flags without a
 * value, each option at most once; and the parsers of the value types (URL, token, whole number, rate,
 * duration).
 *
 * <p>Error contract: every method throws {@link BadOptionException} whose message starts with the offending
 * option's name ({@code --alarms: ...}). Token values are never part of a message.
 */
public final class CommandLine {

    /** Selects the scenario; every scenario's parser accepts it. */
    public static final String SCENARIO = "--scenario";

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");

    private CommandLine() {
    }

    /**
     * Splits {@code args} into option → value, in command-line order; a flag's value is {@code null}.
     *
     * @throws BadOptionException on an unknown option, a flag given a value, a valued option without one, or an
     *                            option given twice
     */
    public static Map<String, String> split(String[] args, Set<String> flags, Set<String> valued) throws BadOptionException {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw new BadOptionException(name + ": is a flag and takes no value");
                }
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        throw new BadOptionException(name + ": needs a value");
                    }
                    value = args[++i];
                }
            } else {
                throw new BadOptionException(name + ": unknown option (see --help)");
            }
            if (options.containsKey(name)) {
                throw new BadOptionException(name + ": given twice");
            }
            options.put(name, value);
        }
        return options;
    }

    /**
     * The value of {@code --scenario} in {@code args} ({@code ingest} when absent), without checking anything
     * else: the scenario's own parser checks the whole line.
     */
    public static String scenario(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith(SCENARIO + "=")) {
                return args[i].substring(SCENARIO.length() + 1);
            }
            if (args[i].equals(SCENARIO) && i + 1 < args.length) {
                return args[i + 1];
            }
        }
        return "ingest";
    }

    /** Checks that {@code --scenario}, when given, names {@code expected}. */
    public static void requireScenario(Map<String, String> options, String expected) throws BadOptionException {
        String given = options.get(SCENARIO);
        if (given != null && !given.equals(expected)) {
            throw new BadOptionException(SCENARIO + ": expected ingest, rules or throughput, got '" + given + "'");
        }
    }

    public static URI url(String name, String value) throws BadOptionException {
        try {
            URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below, with the same message as any other malformed URL
        }
        throw new BadOptionException(name + ": expected an http:// or https:// URL with a host, like http://localhost:8080, got '"
                + value + "'");
    }

    public static String token(String name, String value) throws BadOptionException {
        if (value.isBlank() || value.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            // The value is deliberately not echoed: it is a credential.
            throw new BadOptionException(name + ": must be a non-empty token of printable characters without spaces");
        }
        return value;
    }

    public static int integer(String name, String value, int min, int max) throws BadOptionException {
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadOptionException(name + ": expected a whole number from " + min + " to " + max + ", got '" + value + "'");
    }

    /** A number from {@code min} to {@code max}; {@code what} says what it counts, for the message. */
    public static double decimal(String name, String value, double min, double max, String what) throws BadOptionException {
        try {
            double parsed = Double.parseDouble(value.trim());
            if (parsed >= min && parsed <= max && !Double.isNaN(parsed)) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadOptionException(name + ": expected " + what + ", got '" + value + "'");
    }

    public static Duration duration(String name, String value) throws BadOptionException {
        if (value.trim().equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            throw new BadOptionException(name + ": expected a duration like 50ms, 60s or 2m, got '" + value + "'");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
        };
    }
}
