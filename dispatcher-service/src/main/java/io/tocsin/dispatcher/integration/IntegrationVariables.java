package io.tocsin.dispatcher.integration;

import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The integrations declared through environment variables, {@code TOCSIN_DISPATCHER_INTEGRATIONS_<NAME>_<KEY>},
 * with their names read without guessing.
 *
 * <p>Why it exists: a variable's name does not say where the integration name ends: in
 * {@code TOCSIN_DISPATCHER_INTEGRATIONS_OPS_TEAM_URL} Micronaut offers the integration {@code ops} (setting
 * {@code team-url}) as readily as {@code ops-team}, and lists only {@code ops}. Every integration needs a
 * {@code service}, so the {@code _SERVICE} variables name them: {@code <NAME>} of each
 * {@code TOCSIN_DISPATCHER_INTEGRATIONS_<NAME>_SERVICE}, lower-cased with {@code _} read as {@code -} (the chart's
 * names are lower-case letters, digits and {@code -}). Every other variable belongs to the longest known name it
 * starts with (those names and the ones of YAML files and system properties).
 *
 * <p>Error contract: none here; {@link DeclaredIntegrations} turns what {@link #unclaimed} finds into the start-up
 * failure.
 */
final class IntegrationVariables {

    static final String PREFIX = "TOCSIN_DISPATCHER_INTEGRATIONS_";
    private static final String SERVICE = "_SERVICE";

    /** One variable: its name as given, the part after {@link #PREFIX} in upper case, its value. */
    record Variable(String name, String rest, String value) {
    }

    private final List<Variable> variables;

    private IntegrationVariables(List<Variable> variables) {
        this.variables = List.copyOf(variables);
    }

    /** The {@link #PREFIX} variables of the environment-variable sources, lowest precedence first. */
    static IntegrationVariables of(Environment environment) {
        List<PropertySource> sources = new ArrayList<>(environment.getPropertySources());
        sources.sort(Comparator.comparingInt(PropertySource::getOrder));
        List<Variable> found = new ArrayList<>();
        for (PropertySource source : sources) {
            if (source.getConvention() != PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE) {
                continue;
            }
            for (String name : source) {
                String upper = name.toUpperCase(Locale.ROOT);
                Object value = source.get(name);
                if (upper.startsWith(PREFIX) && upper.length() > PREFIX.length() && value != null) {
                    found.add(new Variable(name, upper.substring(PREFIX.length()), String.valueOf(value)));
                }
            }
        }
        return new IntegrationVariables(found);
    }

    /** The names the {@code _SERVICE} variables declare ({@code OPS_TEAM_SERVICE}: {@code ops-team}). */
    Set<String> declaredNames() {
        Set<String> names = new TreeSet<>();
        for (Variable variable : variables) {
            if (variable.rest.endsWith(SERVICE) && variable.rest.length() > SERVICE.length()) {
                names.add(variable.rest.substring(0, variable.rest.length() - SERVICE.length()).toLowerCase(Locale.ROOT).replace('_', '-'));
            }
        }
        return names;
    }

    /** The variables that would set an integration named {@code name} (their rest starts with its form and {@code _}). */
    List<Variable> of(String name) {
        String start = upper(name) + "_";
        return variables.stream().filter(v -> v.rest.startsWith(start)).toList();
    }

    /**
     * The variables of {@code name} that no longer name in {@code known} claims: for {@code ops} with
     * {@code ops-team} known, {@code OPS_TEAM_URL} is claimed and {@code OPS_URL} is not.
     */
    List<Variable> unclaimed(String name, Set<String> known) {
        int length = upper(name).length();
        return of(name).stream().filter(v -> claimant(v, known).filter(c -> upper(c).length() > length).isEmpty()).toList();
    }

    /**
     * The settings the variables give the integration {@code name}, by hyphenated lower-case key
     * ({@code ROUTING_KEY}: {@code routing-key}), the integration's own keys included; later sources override.
     */
    Map<String, String> settingsOf(String name, Set<String> known) {
        Map<String, String> settings = new LinkedHashMap<>();
        int start = upper(name).length() + 1;
        for (Variable variable : unclaimed(name, known)) {
            if (variable.rest.length() > start) {
                settings.put(variable.rest.substring(start).toLowerCase(Locale.ROOT).replace('_', '-'), variable.value);
            }
        }
        return settings;
    }

    /** The longest of {@code known} that the variable starts with, if any. */
    private static java.util.Optional<String> claimant(Variable variable, Set<String> known) {
        return known.stream().filter(n -> variable.rest.startsWith(upper(n) + "_"))
                .max(Comparator.comparingInt(n -> upper(n).length()));
    }

    /** An integration name as it appears in a variable: upper case, {@code -} and {@code .} as {@code _}. */
    static String upper(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }
}
