package io.tocsin.dispatcher.integration;

import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.naming.NameUtils;
import io.micronaut.core.naming.conventions.StringConvention;
import io.micronaut.core.type.Argument;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The integrations declared in configuration, {@code tocsin.dispatcher.integrations.<name>.<key>}: the keys
 * {@code service}, {@code clusters}, {@code events}, {@code enabled}, {@code send-ended} are the integration's
 * own, every other key is a channel setting ({@code url}, {@code smtp-host}, {@code header.X-Team}, ...).
 * Read from the environment rather than bound to a fixed record, because each channel has its own settings.
 * Integrations given as environment variables are named by their {@code _SERVICE} variables
 * ({@link IntegrationVariables}), so a name with {@code -} ({@code ops-team}) is read as one integration.
 *
 * <p>Error contract: the constructor throws a {@link ConfigurationException} naming the variables when environment
 * variables set an integration whose name no {@code _SERVICE} variable gives; everything else about an
 * integration (a missing or unknown service, an unknown setting) is checked by {@link IntegrationRegistry}.
 */
@Singleton
public class DeclaredIntegrations {

    /** The integration's own keys ({@link #folded} forms: send-ended, sendEnded and SEND_ENDED are one). */
    private static final Set<String> OWN_FOLDED = Set.of("service", "clusters", "events", "enabled", "sendended", "backfill");

    private final List<IntegrationConfig> integrations;

    public DeclaredIntegrations(Environment environment) {
        this.integrations = read(environment);
    }

    public List<IntegrationConfig> all() {
        return integrations;
    }

    /**
     * Reads every declared integration.
     *
     * @throws ConfigurationException when environment variables set an integration that no
     *                                {@code TOCSIN_DISPATCHER_INTEGRATIONS_<NAME>_SERVICE} variable (nor a file) declares:
     *                                its name cannot be told from its settings, so the message names the variables and the fix
     */
    static List<IntegrationConfig> read(Environment environment) {
        String root = IntegrationConfig.PREFIX.substring(0, IntegrationConfig.PREFIX.length() - 1);
        IntegrationVariables variables = IntegrationVariables.of(environment);
        Set<String> fromVariables = variables.declaredNames();
        Set<String> fromOtherSources = namesOutsideVariables(environment);
        Set<String> known = new TreeSet<>(fromVariables);
        known.addAll(fromOtherSources);
        Set<String> names = new TreeSet<>(environment.getPropertyEntries(root));
        names.addAll(fromVariables);
        List<IntegrationConfig> result = new ArrayList<>();
        for (String name : names) {
            if (!known.contains(name) && !variables.of(name).isEmpty()) {
                // Only variables give this name, and none declares it with _SERVICE: either the first word of a
                // longer name (ops of OPS_TEAM_URL), dropped, or an integration whose name cannot be known.
                List<IntegrationVariables.Variable> own = variables.unclaimed(name, known);
                if (own.isEmpty()) {
                    continue;
                }
                throw new ConfigurationException("Environment variable" + (own.size() > 1 ? "s " : " ")
                        + own.stream().map(IntegrationVariables.Variable::name).sorted().collect(Collectors.joining(", "))
                        + " set an integration that no " + IntegrationVariables.PREFIX + "<NAME>_SERVICE variable declares, so its"
                        + " name is unknown: add that variable for the integration's full name (" + IntegrationVariables.PREFIX
                        + "OPS_TEAM_SERVICE=webhook declares ops-team), or declare the integration in a YAML file (MICRONAUT_CONFIG_FILES)");
            }
            String prefix = IntegrationConfig.PREFIX + name;
            Map<String, String> settings = new LinkedHashMap<>();
            Set<String> seen = new HashSet<>();
            // As written (YAML, -D): keeps camelCase setting names. Environment variables are not in this view...
            addSettings(environment.getProperties(prefix, StringConvention.RAW), settings, seen);
            // ...but read from the variables of this name (TOCSIN_..._PD_ROUTING_KEY: routing-key), taken when not
            // given as written; IntegrationRegistry maps routing-key to the channel's routingKey.
            addSettings(new LinkedHashMap<String, Object>(variables.settingsOf(name, known)), settings, seen);
            result.add(new IntegrationConfig(name, name,
                    environment.getProperty(prefix + ".service", String.class).orElse(null),
                    settings,
                    environment.getProperty(prefix + ".clusters", Argument.listOf(String.class)).orElse(List.of()),
                    environment.getProperty(prefix + ".events", Argument.listOf(String.class)).orElse(List.of()),
                    environment.getProperty(prefix + ".enabled", Boolean.class).orElse(true),
                    environment.getProperty(prefix + ".send-ended", Boolean.class).orElse(true),
                    false, java.time.Instant.EPOCH, true));
        }
        result.sort(Comparator.comparing(IntegrationConfig::name));
        return List.copyOf(result);
    }

    /**
     * The integration names of the sources other than environment variables (YAML files, system properties), as
     * written and hyphenated, so that they compare with what Micronaut lists.
     */
    private static Set<String> namesOutsideVariables(Environment environment) {
        Set<String> names = new TreeSet<>();
        for (PropertySource source : environment.getPropertySources()) {
            if (source.getConvention() == PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE) {
                continue;
            }
            for (String key : source) {
                if (key.startsWith(IntegrationConfig.PREFIX)) {
                    String rest = key.substring(IntegrationConfig.PREFIX.length());
                    String name = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
                    names.add(name);
                    names.add(NameUtils.hyphenate(name));
                }
            }
        }
        return names;
    }

    private static void addSettings(Map<String, Object> properties, Map<String, String> settings, Set<String> seen) {
        properties.forEach((key, value) -> {
            // A list comes whole under its own key; its items also appear as key[0], key[1]: skip those.
            if (!key.contains("[") && !OWN_FOLDED.contains(folded(key)) && value != null && !(value instanceof Map<?, ?>) && seen.add(folded(key))) {
                settings.put(key, value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                        : String.valueOf(value));
            }
        });
    }

    /** A setting name without case and separators: routingKey, routing-key, routing.key and ROUTING_KEY are one. */
    static String folded(String key) {
        return key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(".", "");
    }

}
