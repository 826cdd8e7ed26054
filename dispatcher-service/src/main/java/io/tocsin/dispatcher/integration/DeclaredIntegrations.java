package io.tocsin.dispatcher.integration;

import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import io.micronaut.core.type.Argument;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
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

    static final Set<String> OWN_KEYS = Set.of("service", "clusters", "events", "enabled", "send-ended", "backfill");

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
            Map<String, Object> raw = environment.getProperties(prefix, StringConvention.RAW);
            Map<String, String> settings = new LinkedHashMap<>();
            raw.forEach((key, value) -> {
                if (!OWN_KEYS.contains(normalise(key)) && value != null && !(value instanceof Map<?, ?>)) {
                    settings.put(key, value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                            : String.valueOf(value));
                }
            });
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

    private static String normalise(String key) {
        return key.toLowerCase(Locale.ROOT).replace('_', '-').replace("sendended", "send-ended");
    }
}
