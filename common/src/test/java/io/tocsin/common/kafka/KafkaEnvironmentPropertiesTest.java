package io.tocsin.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.tocsin.testing.ConfigSources;
import io.micronaut.context.env.yaml.YamlPropertySourceLoader;
import io.micronaut.context.exceptions.ConfigurationException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Kafka client properties given as {@code TOCSIN_KAFKA_PROPERTIES_*} environment variables reach every client's
 * configuration under Kafka's own names, beside those of a configuration file, with Micronaut's precedence. The
 * sources are built as Micronaut builds them at start: a YAML file read by its YAML loader (order -250, as Micronaut gives
 * MICRONAUT_CONFIG_FILES), the environment variables (order -200, the environment-variable convention) and
 * system properties (order -100).
 */
class KafkaEnvironmentPropertiesTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"tocsin\" password=\"pw\";";

    @Test
    void variablesReachTheClientConfigurationUnderKafkasNamesAndOverrideTheFile() {
        Map<String, Object> env = Map.of(
                "TOCSIN_KAFKA_BOOTSTRAP_SERVERS", "kafka-0:9093",
                "TOCSIN_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SASL_SSL",
                "TOCSIN_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", JAAS,
                "TOCSIN_KAFKA_PROPERTIES_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM", "",
                "TOCSIN_KAFKA_PROPERTIES_CUSTOM__DASHED___UNDERSCORED", "x");
        String file = """
                tocsin:
                  kafka:
                    properties:
                      security.protocol: PLAINTEXT
                      sasl.mechanism: SCRAM-SHA-512
                """;
        try (ApplicationContext context = context(env, file, Map.of())) {
            Map<String, Object> producer = context.getBean(KafkaClients.class).producerConfig("probe");

            assertThat(producer).containsEntry("bootstrap.servers", "kafka-0:9093").containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.jaas.config", JAAS).containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry("ssl.endpoint.identification.algorithm", "").containsEntry("custom-dashed_underscored", "x");
            // None of the other spellings Micronaut derives from a variable's name reaches a client.
            assertThat(context.getBean(KafkaSettings.class).properties()).containsOnlyKeys("security.protocol", "sasl.jaas.config",
                    "sasl.mechanism", "ssl.endpoint.identification.algorithm", "custom-dashed_underscored");
        }
    }

    @Test
    void aSystemPropertyStillOverridesTheVariable() {
        try (ApplicationContext context = context(Map.of("TOCSIN_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SASL_SSL",
                "TOCSIN_KAFKA_PROPERTIES_SASL_MECHANISM", "PLAIN"), "", Map.of("tocsin.kafka.properties.security.protocol", "SSL"))) {
            assertThat(context.getBean(KafkaClients.class).common()).containsEntry("security.protocol", "SSL")
                    .containsEntry("sasl.mechanism", "PLAIN");
        }
    }

    @Test
    void namesAreReadLikeKafkasContainerImagesRead() {
        assertThat(KafkaEnvironmentProperties.kafkaName("TOCSIN_KAFKA_PROPERTIES_SSL_TRUSTSTORE_LOCATION")).isEqualTo("ssl.truststore.location");
        assertThat(KafkaEnvironmentProperties.kafkaName("TOCSIN_KAFKA_PROPERTIES_A__B___C_D")).isEqualTo("a-b_c.d");
        assertThat(KafkaEnvironmentProperties.kafkaName("tocsin_kafka_properties_client_id")).isEqualTo("client.id");
    }

    @Test
    void anUnreadableNameFailsTheStartNamingTheVariable() {
        for (String variable : new String[] {"TOCSIN_KAFKA_PROPERTIES_", "TOCSIN_KAFKA_PROPERTIES__SASL", "TOCSIN_KAFKA_PROPERTIES_SASL_",
                "TOCSIN_KAFKA_PROPERTIES_SASL____MECHANISM"}) {
            assertThatThrownBy(() -> KafkaEnvironmentProperties.kafkaName(variable)).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("Environment variable " + variable + " does not name a Kafka property")
                    .hasMessageContaining("'.' as _, '-' as __ and '_' as ___");
        }
        assertThatThrownBy(() -> context(Map.of("TOCSIN_KAFKA_PROPERTIES_SASL____MECHANISM", "PLAIN"), "", Map.of()).close())
                .rootCause().isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Environment variable TOCSIN_KAFKA_PROPERTIES_SASL____MECHANISM does not name");
    }

    private static ApplicationContext context(Map<String, Object> env, String yaml, Map<String, Object> systemProperties) {
        Map<String, Object> file = new YamlPropertySourceLoader().read("tocsin.yml", yaml.getBytes(StandardCharsets.UTF_8));
        return ApplicationContext.builder().deduceEnvironment(false).environmentPropertySource(false)
                .propertySources(ConfigSources.of("tocsin.yml", file, -250, PropertySource.PropertyConvention.JAVA_PROPERTIES),
                        ConfigSources.of("env", env, -200, PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE),
                        ConfigSources.of("system", systemProperties, -100, PropertySource.PropertyConvention.JAVA_PROPERTIES))
                .start();
    }
}
