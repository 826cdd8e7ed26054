package io.tocsin.testing;

import io.micronaut.context.env.MapPropertySource;
import io.micronaut.context.env.PropertySource;
import java.util.Map;

/**
 * Micronaut property sources for tests that build an environment the way a deployment does: a configuration file,
 * environment variables and system properties, each with its own precedence ({@code order}, higher wins) and naming
 * convention (environment variables are split into candidate dotted names, file keys are taken as written).
 */
public final class ConfigSources {

    private ConfigSources() {
    }

    public static PropertySource of(String name, Map<String, Object> properties, int order, PropertySource.PropertyConvention convention) {
        return new MapPropertySource(name, properties) {
            @Override
            public int getOrder() {
                return order;
            }

            @Override
            public PropertyConvention getConvention() {
                return convention;
            }
        };
    }
}
