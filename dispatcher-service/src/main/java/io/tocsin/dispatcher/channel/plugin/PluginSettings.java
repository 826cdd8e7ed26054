package io.tocsin.dispatcher.channel.plugin;

import io.tocsin.schema.wire.FieldError;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of one {@code plugin} integration, checked ({@link #validate}) and parsed ({@link #parse}).
 *
 * @param plugin          the executable's file name inside the plugin directory
 * @param mode            which ecosystem's calling convention the plugin expects
 * @param timeout         how long the plugin may run before it and its descendants are killed
 * @param recipient       Pacemaker mode: the value of {@code CRM_alert_recipient} ("" when not set, as Pacemaker)
 * @param timestampFormat Pacemaker mode: the format of {@code CRM_alert_timestamp}
 * @param cmonHostname    ClusterControl mode: {@code cmon_hostname}, or null for this host's name
 * @param environment     the {@code env.<NAME>} settings by variable name (values are secret)
 */
record PluginSettings(String plugin, Mode mode, Duration timeout, String recipient,
                      PacemakerTimestampFormat timestampFormat, String cmonHostname, Map<String, String> environment) {

    static final String PLUGIN = "plugin";
    static final String MODE = "mode";
    static final String TIMEOUT = "timeout";
    static final String RECIPIENT = "recipient";
    static final String TIMESTAMP_FORMAT = "timestamp-format";
    static final String CMON_HOSTNAME = "cmon-hostname";
    static final String ENV_PREFIX = "env.";

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);
    /** Pacemaker's default ({@code PCMK__ALERT_DEFAULT_TSTAMP_FORMAT}). */
    static final String DEFAULT_TIMESTAMP_FORMAT = "%H:%M:%S.%06N";

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");
    /**
     * Variables that make the dynamic loader, the shell or a common interpreter load code other than the plugin
     * (or that the channel sets itself). The settings come from the API, the plugins from whoever owns the plugin
     * directory: these would let an API user run code of their choosing through any installed plugin.
     */
    private static final Set<String> FORBIDDEN_NAMES = Set.of("PATH", "LANG", "BASH_ENV", "ENV", "SHELLOPTS",
            "BASHOPTS", "IFS", "PS4", "GLIBC_TUNABLES", "GCONV_PATH", "LOCPATH", "NLSPATH", "HOSTALIASES",
            "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "PYTHONWARNINGS", "PERL5LIB", "PERLLIB",
            "PERL5OPT", "PERL5DB", "RUBYLIB", "RUBYOPT", "NODE_OPTIONS", "NODE_PATH", "CLASSPATH",
            "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS");
    private static final List<String> FORBIDDEN_PREFIXES = List.of("LD_", "DYLD_", "BASH_FUNC_",
            PacemakerEnvironment.CRM_PREFIX, PacemakerEnvironment.TOCSIN_PREFIX);

    /** How the alarm is handed to the plugin. */
    enum Mode {
        /** cmon's plugin interface: one JSON document on standard input. */
        CLUSTERCONTROL,
        /** Pacemaker's alert agents: {@code CRM_alert_*} environment variables. */
        PACEMAKER;

        static Mode parse(String value) {
            return switch (value == null || value.isBlank() ? "clustercontrol" : value.trim().toLowerCase(Locale.ROOT)) {
                case "clustercontrol" -> CLUSTERCONTROL;
                case "pacemaker" -> PACEMAKER;
                default -> null;
            };
        }
    }

    /**
     * Checks the settings of a plugin integration.
     *
     * @return one error per offending setting, named by the setting; messages never repeat an {@code env.*}
     *         value (they are secret)
     */
    static List<FieldError> validate(Map<String, String> settings) {
        List<FieldError> errors = new ArrayList<>();
        String nameProblem = pluginNameProblem(settings.get(PLUGIN));
        if (nameProblem != null) {
            errors.add(new FieldError(PLUGIN, nameProblem));
        }
        if (Mode.parse(settings.get(MODE)) == null) {
            errors.add(new FieldError(MODE, "must be 'clustercontrol' (the default) or 'pacemaker'"));
        }
        String timeoutProblem = timeoutProblem(settings.get(TIMEOUT));
        if (timeoutProblem != null) {
            errors.add(new FieldError(TIMEOUT, timeoutProblem));
        }
        String format = settings.get(TIMESTAMP_FORMAT);
        if (format != null && !format.isBlank()) {
            try {
                PacemakerTimestampFormat.compile(format);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(TIMESTAMP_FORMAT, e.getMessage()));
            }
        }
        for (String key : List.of(RECIPIENT, CMON_HOSTNAME)) {
            String value = settings.get(key);
            if (value != null && value.indexOf('\0') >= 0) {
                errors.add(new FieldError(key, "must not contain NUL characters"));
            }
        }
        new TreeMap<>(settings).forEach((key, value) -> {
            if (key.startsWith(ENV_PREFIX)) {
                String problem = environmentProblem(key.substring(ENV_PREFIX.length()), value);
                if (problem != null) {
                    errors.add(new FieldError(key, problem));
                }
            }
        });
        return errors;
    }

    /**
     * Parses settings that {@link #validate} accepted.
     *
     * @throws IllegalArgumentException when they are not valid
     */
    static PluginSettings parse(Map<String, String> settings) {
        List<FieldError> errors = validate(settings);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(errors.getFirst().field() + " " + errors.getFirst().message());
        }
        Map<String, String> environment = new TreeMap<>();
        settings.forEach((key, value) -> {
            if (key.startsWith(ENV_PREFIX)) {
                environment.put(key.substring(ENV_PREFIX.length()), value == null ? "" : value);
            }
        });
        String format = blankToNull(settings.get(TIMESTAMP_FORMAT));
        String recipient = blankToNull(settings.get(RECIPIENT));
        return new PluginSettings(settings.get(PLUGIN).trim(), Mode.parse(settings.get(MODE)),
                parseTimeout(settings.get(TIMEOUT)), recipient == null ? "" : recipient,
                PacemakerTimestampFormat.compile(format == null ? DEFAULT_TIMESTAMP_FORMAT : format),
                blankToNull(settings.get(CMON_HOSTNAME)), Collections.unmodifiableMap(environment));
    }

    /**
     * Why {@code name} is not a plain file name inside the plugin directory, or null when it is one. Path
     * separators, {@code .}/{@code ..} and hidden files are refused so that a setting can never reach outside
     * the directory (symbolic links are checked when the plugin is run: {@link PluginDirectory}).
     */
    static String pluginNameProblem(String name) {
        if (name == null || name.isBlank()) {
            return "is required: the file name of an executable in the plugin directory";
        }
        String trimmed = name.trim();
        if (trimmed.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "must not contain control characters";
        }
        if (trimmed.indexOf('/') >= 0 || trimmed.indexOf('\\') >= 0) {
            return "must be a file name inside the plugin directory, without '/' or '\\'";
        }
        if (trimmed.startsWith(".")) {
            return "must not start with '.' (no hidden files, '.' or '..')";
        }
        if (trimmed.length() > 255) {
            return "must be at most 255 characters";
        }
        return null;
    }

    /** The timeout setting: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT30S}). */
    static Duration parseTimeout(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_TIMEOUT;
        }
        String trimmed = value.trim();
        Matcher compact = SHORT_DURATION.matcher(trimmed.toLowerCase(Locale.ROOT));
        if (compact.matches()) {
            long amount = Long.parseLong(compact.group(1));
            return switch (compact.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        try {
            return Duration.parse(trimmed);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration");
        }
    }

    private static String timeoutProblem(String value) {
        Duration timeout;
        try {
            timeout = parseTimeout(value);
        } catch (IllegalArgumentException e) {
            return "must be a duration such as 500ms, 10s or 2m";
        }
        if (timeout.isNegative() || timeout.isZero()) {
            return "must be more than 0";
        }
        if (timeout.compareTo(MAX_TIMEOUT) > 0) {
            return "must be at most 10m";
        }
        return null;
    }

    private static String environmentProblem(String name, String value) {
        if (!ENV_NAME.matcher(name).matches()) {
            return "must name an environment variable: letters, digits and '_', not starting with a digit";
        }
        String upper = name.toUpperCase(Locale.ROOT);
        if (FORBIDDEN_NAMES.contains(upper) || FORBIDDEN_PREFIXES.stream().anyMatch(p -> upper.startsWith(p.toUpperCase(Locale.ROOT)))) {
            return "names a variable the channel sets itself or one that makes programs load other code";
        }
        if (value != null && value.indexOf('\0') >= 0) {
            return "must not contain NUL characters";
        }
        return null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
