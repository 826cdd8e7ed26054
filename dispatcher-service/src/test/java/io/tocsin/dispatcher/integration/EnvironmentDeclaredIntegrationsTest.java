package io.tocsin.dispatcher.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.tocsin.dispatcher.DispatcherSettings;
import io.tocsin.dispatcher.channel.email.EmailNotifier;
import io.tocsin.dispatcher.channel.pagerduty.PagerDutyNotifier;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.delivery.OutboundTargets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Integrations declared through environment variables (how Helm values reach the pods): settings arrive in the
 * hyphenated form Micronaut derives from the variable's name, and camelCase channel settings are found by it.
 */
class EnvironmentDeclaredIntegrationsTest {

    @Test
    void environmentVariablesDeclareIntegrationsWithCamelCaseAndKebabCaseSettings() {
        Map<String, Object> env = Map.of(
                "TOCSIN_DISPATCHER_INTEGRATIONS_PD_SERVICE", "pagerduty",
                "TOCSIN_DISPATCHER_INTEGRATIONS_PD_ROUTING_KEY", "R0UT1NGKEY0123456789abcdefABCDEF",
                "TOCSIN_DISPATCHER_INTEGRATIONS_PD_RATE_LIMIT", "2",
                "TOCSIN_DISPATCHER_INTEGRATIONS_MAIL_SERVICE", "email",
                "TOCSIN_DISPATCHER_INTEGRATIONS_MAIL_SMTP_HOST", "smtp.example.com",
                "TOCSIN_DISPATCHER_INTEGRATIONS_MAIL_FROM", "tocsin@example.com",
                "TOCSIN_DISPATCHER_INTEGRATIONS_MAIL_TO", "ops@example.com",
                "TOCSIN_DISPATCHER_INTEGRATIONS_MAIL_SEND_ENDED", "false");
        try (ApplicationContext context = ApplicationContext.builder()
                .propertySources(PropertySource.of("env", env, PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE)).build()) {
            context.getEnvironment().start(); // the environment only: no beans, no Kafka
            DeclaredIntegrations declared = new DeclaredIntegrations(context.getEnvironment());
            IntegrationRegistry registry = new IntegrationRegistry(declared, List.of(
                    new PagerDutyNotifier(new JsonHttpSender(DispatcherSettings.defaults(), OutboundTargets.defaults())),
                    new EmailNotifier(DispatcherSettings.defaults(), OutboundTargets.defaults())));

            IntegrationConfig pagerDuty = registry.all().stream().filter(i -> i.name().equals("pd")).findFirst().orElseThrow();
            assertThat(pagerDuty.settings()).containsEntry("routingKey", "R0UT1NGKEY0123456789abcdefABCDEF")
                    .containsEntry("rate-limit", "2").hasSize(2);
            IntegrationConfig mail = registry.all().stream().filter(i -> i.name().equals("mail")).findFirst().orElseThrow();
            assertThat(mail.settings()).containsEntry("smtp-host", "smtp.example.com").containsEntry("from", "tocsin@example.com")
                    .containsEntry("to", "ops@example.com").hasSize(3);
            assertThat(mail.sendEnded()).isFalse();
        }
    }
}
