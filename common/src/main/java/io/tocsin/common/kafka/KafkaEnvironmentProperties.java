package io.tocsin.common.kafka;

import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Adds the Kafka client properties given as environment variables, {@code TOCSIN_KAFKA_PROPERTIES_<NAME>}, to
 * {@link KafkaSettings#properties()}.
 *
 * <p>Why it exists: {@code tocsin.kafka.properties} is bound with raw keys (so {@code sasl.jaas.config} stays as
 * written in a file), and Micronaut leaves environment variables out of a raw-key map; it would turn
 * {@code TOCSIN_KAFKA_PROPERTIES_SASL_JAAS_CONFIG} into four candidates ({@code sasl.jaas.config},
 * {@code sasl-jaas.config}, ...) anyway, of which only one is Kafka's. So such a variable was silently ignored.
 * Here {@code <NAME>} is read the way Kafka's own container images read {@code KAFKA_*} variables: lower-cased,
 * {@code _} is {@code .}, {@code __} is {@code -} and {@code ___} is {@code _}; {@code SECURITY_PROTOCOL} is
 * {@code security.protocol}, {@code SSL_ENDPOINT_IDENTIFICATION_ALGORITHM} is
 * {@code ssl.endpoint.identification.algorithm}.
 *
 * <p>Precedence is Micronaut's: such a variable overrides the same property from a configuration file, and a
 * property source of higher precedence (a {@code -D} system property, a command-line argument) overrides the
 * variable.
 *
 * <p>Error contract: a variable whose name cannot be read (empty, or with four or more {@code _} in a row, or
 * leading or trailing {@code _} after the prefix) fails the start with a {@link ConfigurationException} naming the
 * variable and the rule; nothing is dropped silently.
 */
@Singleton
public class KafkaEnvironmentProperties implements BeanCreatedEventListener<KafkaSettings> {

    /** The variable prefix; the rest of the name is the Kafka property. */
    static final String PREFIX = "TOCSIN_KAFKA_PROPERTIES_";
    private static final String PROPERTY_PREFIX = "tocsin.kafka.properties.";

    private final Environment environment;

    public KafkaEnvironmentProperties(Environment environment) {
        this.environment = environment;
    }

    @Override
    public KafkaSettings onCreated(BeanCreatedEvent<KafkaSettings> event) {
        KafkaSettings settings = event.getBean();
        Map<String, String> fromVariables = fromVariables(environment.getPropertySources());
        if (fromVariables.isEmpty()) {
            return settings;
        }
        Map<String, String> properties = new LinkedHashMap<>(settings.properties());
        properties.putAll(fromVariables);
        return new KafkaSettings(settings.bootstrapServers(), settings.topicPrefix(), properties, settings.provisionTopics(),
                settings.partitions(), settings.replicationFactor(), settings.startupTimeout());
    }

    /**
     * The Kafka properties of the environment-variable sources among {@code sources}, each kept only where no
     * other source of higher precedence (higher order) sets {@code tocsin.kafka.properties.<name>} itself.
     */
    static Map<String, String> fromVariables(Iterable<PropertySource> sources) {
        List<PropertySource> ordered = new ArrayList<>();
        sources.forEach(ordered::add);
        ordered.sort(Comparator.comparingInt(PropertySource::getOrder)); // lowest precedence first, as Micronaut applies them
        Map<String, String> out = new LinkedHashMap<>();
        for (PropertySource source : ordered) {
            if (source.getConvention() != PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE) {
                continue;
            }
            for (String variable : source) {
                if (!variable.toUpperCase(Locale.ROOT).startsWith(PREFIX)) {
                    continue;
                }
                String name = kafkaName(variable);
                boolean overridden = ordered.stream().anyMatch(other -> other.getOrder() > source.getOrder()
                        && other.getConvention() != PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE
                        && other.get(PROPERTY_PREFIX + name) != null);
                Object value = source.get(variable);
                if (!overridden && value != null) {
                    out.put(name, value.toString());
                }
            }
        }
        return out;
    }

    /**
     * The Kafka property a {@code TOCSIN_KAFKA_PROPERTIES_<NAME>} variable names: {@code <NAME>} lower-cased, with
     * {@code ___} read as {@code _}, {@code __} as {@code -} and {@code _} as {@code .}.
     *
     * @throws ConfigurationException when the name is empty, starts or ends with {@code _}, or has four or more
     *                                {@code _} in a row
     */
    static String kafkaName(String variable) {
        String rest = variable.substring(PREFIX.length()).toLowerCase(Locale.ROOT);
        StringBuilder name = new StringBuilder(rest.length());
        int i = 0;
        while (i < rest.length()) {
            char c = rest.charAt(i);
            if (c != '_') {
                name.append(c);
                i++;
                continue;
            }
            int run = 0;
            while (i < rest.length() && rest.charAt(i) == '_') {
                run++;
                i++;
            }
            if (run > 3 || name.isEmpty() || i == rest.length()) {
                throw unreadable(variable);
            }
            name.append(run == 1 ? '.' : run == 2 ? '-' : '_');
        }
        if (name.isEmpty()) {
            throw unreadable(variable);
        }
        return name.toString();
    }

    private static ConfigurationException unreadable(String variable) {
        return new ConfigurationException("Environment variable " + variable + " does not name a Kafka property: after "
                + PREFIX + " write the property in upper case with '.' as _, '-' as __ and '_' as ___"
                + " (TOCSIN_KAFKA_PROPERTIES_SASL_JAAS_CONFIG for sasl.jaas.config)");
    }
}
