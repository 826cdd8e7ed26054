package io.tocsin.dispatcher.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.tocsin.testing.ConfigSources;
import io.micronaut.context.env.yaml.YamlPropertySourceLoader;
import io.micronaut.context.exceptions.ConfigurationException;
import io.tocsin.dispatcher.DispatcherSettings;
import io.tocsin.dispatcher.channel.email.EmailNotifier;
import io.tocsin.dispatcher.channel.pagerduty.PagerDutyNotifier;
import io.tocsin.dispatcher.channel.webhook.WebhookNotifier;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.delivery.OutboundTargets;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Integration names with {@code -} declared through environment variables: {@code TOCSIN_DISPATCHER_INTEGRATIONS_OPS_TEAM_*}
 * is the one integration {@code ops-team} (named by its {@code _SERVICE} variable), not also a phantom {@code ops};
 * an integration whose name no {@code _SERVICE} variable gives stops the start naming its variables. The variables
 * come through Micronaut's environment-variable convention (the property source Micronaut builds from the process
 * environment), a YAML file through Micronaut's YAML loader, and the dispatcher's start-up check
 * ({@link IntegrationRegistry}) runs on the result.
 */
class HyphenatedIntegrationNamesTest {

    private static final String P = "TOCSIN_DISPATCHER_INTEGRATIONS_";

    @Test
    void aHyphenatedNameIsOneIntegrationAndNoPhantom() {
        Map<String, IntegrationConfig> integrations = declared(Map.of(
                P + "OPS_TEAM_SERVICE", "webhook", P + "OPS_TEAM_URL", "https://hooks.example.com/team",
                P + "OPS_TEAM_RATE_LIMIT", "5", P + "OPS_TEAM_SEND_ENDED", "false",
                P + "PD_ON_CALL_SERVICE", "pagerduty", P + "PD_ON_CALL_ROUTING_KEY", "R0UT1NGKEY0123456789abcdefABCDEF"), "");

        assertThat(integrations).containsOnlyKeys("ops-team", "pd-on-call");
        IntegrationConfig team = integrations.get("ops-team");
        assertThat(team.service()).isEqualTo("webhook");
        assertThat(team.settings()).containsExactlyInAnyOrderEntriesOf(Map.of("url", "https://hooks.example.com/team", "rate-limit", "5"));
        assertThat(team.sendEnded()).isFalse();
        assertThat(integrations.get("pd-on-call").settings()).containsExactlyEntriesOf(Map.of("routingKey", "R0UT1NGKEY0123456789abcdefABCDEF"));
    }

    @Test
    void anIntegrationWhoseNameStartsAnotherKeepsOnlyItsOwnSettings() {
        Map<String, IntegrationConfig> integrations = declared(Map.of(
                P + "OPS_SERVICE", "webhook", P + "OPS_URL", "https://hooks.example.com/ops",
                P + "OPS_TEAM_SERVICE", "webhook", P + "OPS_TEAM_URL", "https://hooks.example.com/team"), "");

        assertThat(integrations).containsOnlyKeys("ops", "ops-team");
        assertThat(integrations.get("ops").settings()).containsExactlyEntriesOf(Map.of("url", "https://hooks.example.com/ops"));
        assertThat(integrations.get("ops-team").settings()).containsExactlyEntriesOf(Map.of("url", "https://hooks.example.com/team"));
    }

    @Test
    void variablesAddToAnIntegrationOfAFileAndAFileIntegrationIsNeverTakenForAPhantom() {
        String file = """
                tocsin:
                  dispatcher:
                    integrations:
                      ops-team:
                        service: webhook
                        url: https://hooks.example.com/team
                      ops:
                        service: webhook
                        url: https://hooks.example.com/ops
                """;
        Map<String, IntegrationConfig> integrations = declared(Map.of(P + "OPS_TEAM_RATE_LIMIT", "7"), file);

        assertThat(integrations).containsOnlyKeys("ops", "ops-team");
        assertThat(integrations.get("ops-team").settings()).containsExactlyInAnyOrderEntriesOf(Map.of("url", "https://hooks.example.com/team", "rate-limit", "7"));
        assertThat(integrations.get("ops").settings()).containsExactlyEntriesOf(Map.of("url", "https://hooks.example.com/ops"));
    }

    @Test
    void settingsWithoutAServiceVariableStopTheStartNamingTheVariables() {
        assertThatThrownBy(() -> declared(Map.of(P + "OPS_TEAM_URL", "https://hooks.example.com/team", P + "OPS_TEAM_FORMAT", "extended"), ""))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Environment variables " + P + "OPS_TEAM_FORMAT, " + P + "OPS_TEAM_URL set an integration that no " + P
                        + "<NAME>_SERVICE variable declares, so its name is unknown: add that variable for the integration's full name ("
                        + P + "OPS_TEAM_SERVICE=webhook declares ops-team), or declare the integration in a YAML file (MICRONAUT_CONFIG_FILES)");
    }

    @Test
    void aMisspeltVariableBesideAGoodIntegrationIsNotDroppedSilently() {
        // OPS_TEAM is declared; OPZ_URL belongs to nothing: the start fails naming it rather than losing it.
        assertThatThrownBy(() -> declared(Map.of(P + "OPS_TEAM_SERVICE", "webhook", P + "OPS_TEAM_URL", "https://hooks.example.com/team",
                P + "OPZ_URL", "https://hooks.example.com/z"), ""))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("Environment variable " + P + "OPZ_URL set an integration");
        // An integration of a file without a service still fails the registry's check, naming its key.
        assertThatThrownBy(() -> declared(Map.of(), "tocsin.dispatcher.integrations.broken.url: https://hooks.example.com/b\n"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("tocsin.dispatcher.integrations.broken.service");
    }

    /** The integrations the dispatcher would start with, by name; throws what its start would throw. */
    private static Map<String, IntegrationConfig> declared(Map<String, Object> env, String yaml) {
        Map<String, Object> file = new YamlPropertySourceLoader().read("tocsin.yml", yaml.getBytes(StandardCharsets.UTF_8));
        try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).environmentPropertySource(false)
                .propertySources(ConfigSources.of("tocsin.yml", file, -250, PropertySource.PropertyConvention.JAVA_PROPERTIES),
                        ConfigSources.of("env", env, -200, PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE)).build()) {
            context.getEnvironment().start(); // the environment only: no beans, no Kafka
            JsonHttpSender http = new JsonHttpSender(DispatcherSettings.defaults(), OutboundTargets.defaults());
            IntegrationRegistry registry = new IntegrationRegistry(new DeclaredIntegrations(context.getEnvironment()), List.of(
                    new WebhookNotifier(http), new PagerDutyNotifier(http), new EmailNotifier(DispatcherSettings.defaults(), OutboundTargets.defaults())));
            return registry.all().stream().collect(Collectors.toMap(IntegrationConfig::name, Function.identity()));
        }
    }
}
