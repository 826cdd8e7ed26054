package io.tocsin.dispatcher.integration;

import io.micronaut.context.env.Environment;
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

/**
 * The integrations declared in configuration, {@code tocsin.dispatcher.integrations.<name>.<key>}: the keys
 * {@code service}, {@code clusters}, {@code events}, {@code enabled}, {@code send-ended} are the integration's
 * own, every other key is a channel setting ({@code url}, {@code smtp-host}, {@code header.X-Team}, ...).
 * Read from the environment rather than bound to a fixed record, because each channel has its own settings.
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

    static List<IntegrationConfig> read(Environment environment) {
        String root = IntegrationConfig.PREFIX.substring(0, IntegrationConfig.PREFIX.length() - 1);
        List<IntegrationConfig> result = new ArrayList<>();
        for (String name : environment.getPropertyEntries(root)) {
            String prefix = IntegrationConfig.PREFIX + name;
            Map<String, String> settings = new LinkedHashMap<>();
            Set<String> seen = new HashSet<>();
            // As written (YAML, -D): keeps camelCase setting names. Environment variables are not in this view...
            addSettings(environment.getProperties(prefix, StringConvention.RAW), settings, seen);
            // ...but in the hyphenated one (TOCSIN_..._ROUTING_KEY -> routing-key, also routing.key): taken when not
            // given as written; IntegrationRegistry maps routing-key to the channel's routingKey.
            Map<String, Object> hyphenated = new java.util.TreeMap<>(java.util.Comparator
                    .comparing((String key) -> key.contains(".") ? 1 : 0).thenComparing(java.util.Comparator.naturalOrder()));
            hyphenated.putAll(environment.getProperties(prefix, StringConvention.HYPHENATED));
            addSettings(hyphenated, settings, seen);
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
