package io.tocsin.standalone.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.tocsin.dispatcher.DispatcherSettings;
import io.tocsin.dispatcher.channel.discord.DiscordNotifier;
import io.tocsin.dispatcher.channel.email.EmailNotifier;
import io.tocsin.dispatcher.channel.opsgenie.OpsgenieNotifier;
import io.tocsin.dispatcher.channel.pagerduty.PagerDutyNotifier;
import io.tocsin.dispatcher.channel.plugin.PluginNotifier;
import io.tocsin.dispatcher.channel.servicenow.ServiceNowNotifier;
import io.tocsin.dispatcher.channel.slack.SlackNotifier;
import io.tocsin.dispatcher.channel.snmp.SnmpNotifier;
import io.tocsin.dispatcher.channel.splunkoncall.SplunkOnCallNotifier;
import io.tocsin.dispatcher.channel.teams.TeamsNotifier;
import io.tocsin.dispatcher.channel.telegram.TelegramNotifier;
import io.tocsin.dispatcher.channel.webhook.WebhookNotifier;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.dispatcher.delivery.OutboundTargets;
import io.tocsin.dispatcher.integration.DeclaredIntegrations;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.dispatcher.integration.IntegrationRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The environment docker-compose.yml gives the Tocsin services reaches real settings: every {@code TOCSIN_*}
 * name is a configuration key of its service (by Micronaut's environment-variable rule, checked with Micronaut
 * itself) and documented in docs/CONFIGURATION.md; the declared integrations pass the dispatcher's own start-up
 * validation against their channels and point at the catchers of the {@code try} profile; secrets come from
 * {@code .env}. A misspelt variable is otherwise ignored silently by the service, which is why this is a test.
 */
class ComposeEnvironmentTest {

    private static final String INTEGRATIONS = ConfigurationKeys.variableOf(IntegrationConfig.PREFIX);
    /** An integration's own keys, in their environment-variable form (the rest are channel settings). */
    private static final Set<String> OWN_KEYS = Set.of("SERVICE", "CLUSTERS", "EVENTS", "ENABLED", "SEND_ENDED");

    private static ComposeFile compose;

    @BeforeAll
    static void load() throws Exception {
        compose = ComposeFile.load();
    }

    @Test
    void theFourServicesRunFromTheirImages() {
        assertThat(compose.tocsinServices()).containsOnly(Map.entry("collector", "collector"), Map.entry("rules", "rules"),
                Map.entry("dispatcher", "dispatcher"), Map.entry("cloud", "cloud"));
        assertThat(compose.serviceNames()).contains("kafka", "webhook-tester", "mailpit");
        compose.tocsinServices().keySet().forEach(service -> assertThat(compose.profiles(service)).as(service).isEmpty());
        assertThat(compose.profiles("webhook-tester")).containsExactly("try");
        assertThat(compose.profiles("mailpit")).containsExactly("try");
    }

    @Test
    void everyTocsinVariableIsAConfigurationKeyOfItsService() throws Exception {
        String documentation = Files.readString(ComposeFile.ROOT.resolve("docs/CONFIGURATION.md"));
        List<String> problems = new ArrayList<>();
        compose.tocsinServices().forEach((service, tocsinService) -> {
            ConfigurationKeys keys = ConfigurationKeys.of(tocsinService + "-service");
            Map<String, String> expected = new TreeMap<>();
            Map<String, Object> markers = new HashMap<>();
            for (String variable : compose.environment(service).keySet()) {
                if (!variable.startsWith("TOCSIN_")) {
                    continue;
                }
                if (variable.startsWith(INTEGRATIONS)) {
                    if (!tocsinService.equals("dispatcher")) {
                        problems.add(service + ": " + variable + " declares an integration, which only the dispatcher reads");
                    }
                    continue;
                }
                var key = keys.keyFor(variable);
                if (key.isEmpty()) {
                    problems.add(service + ": " + variable + " is no configuration key of " + tocsinService
                            + "-service or common; known keys: " + keys.exactKeys());
                    continue;
                }
                if (keys.isExact(key.get())) {
                    String marker = "value-of-" + variable;
                    markers.put(variable, marker);
                    expected.put(key.get(), marker);
                    if (!documentation.contains("`" + key.get() + "`")) {
                        problems.add(service + ": " + variable + " sets " + key.get() + ", which docs/CONFIGURATION.md does not list");
                    }
                }
            }
            // Micronaut itself maps the variables: each key must read back the value its variable was given.
            try (ApplicationContext context = environmentOnly(markers)) {
                Environment environment = context.getEnvironment();
                expected.forEach((key, marker) -> {
                    String actual = environment.getProperty(key, String.class).orElse(null);
                    if (!marker.equals(actual)) {
                        problems.add(service + ": Micronaut reads " + key + " as " + actual + ", not the value of " + ConfigurationKeys.variableOf(key));
                    }
                });
            }
        });
        assertThat(problems).as("docker-compose.yml's TOCSIN_* variables").isEmpty();
    }

    @Test
    void theDeclaredIntegrationsAreValidSettingsOfTheirChannels() {
        Map<String, Object> variables = new TreeMap<>();
        compose.environment("dispatcher").forEach((name, value) -> {
            if (name.startsWith(INTEGRATIONS)) {
                variables.put(name, ComposeFile.interpolated(value));
            }
        });
        assertThat(variables).as("demo integrations declared on the dispatcher").isNotEmpty();
        try (ApplicationContext context = environmentOnly(variables)) {
            DeclaredIntegrations declared = new DeclaredIntegrations(context.getEnvironment());
            // The dispatcher's start-up check: an unknown service, an unknown or invalid setting throws (failing
            // this test with the message the dispatcher would log, naming the key).
            IntegrationRegistry registry = new IntegrationRegistry(declared, allChannels());
            assertThat(registry.all()).extracting(IntegrationConfig::name).containsExactlyInAnyOrder("catcher", "mailpit");

            // Every variable is accounted for by the integration it was meant for (none read as another name).
            Set<String> explained = new TreeSet<>();
            for (IntegrationConfig integration : registry.all()) {
                String prefix = INTEGRATIONS + ConfigurationKeys.variableOf(integration.name()) + "_";
                OWN_KEYS.stream().map(own -> prefix + own).filter(variables::containsKey).forEach(explained::add);
                integration.settings().keySet().forEach(setting -> explained.add(prefix + variableOfSetting(setting)));
                assertThat(integration.enabled()).as("%s enabled by default", integration.name()).isTrue();
            }
            assertThat(explained).as("variables read as integration settings").isEqualTo(variables.keySet());

            IntegrationConfig catcher = registry.find("catcher").orElseThrow();
            IntegrationConfig mail = registry.find("mailpit").orElseThrow();
            assertThat(catcher.service()).isEqualTo("webhook");
            assertThat(mail.service()).isEqualTo("email");
            String catcherHost = URI.create(catcher.setting("url")).getHost();
            assertThat(compose.profiles(catcherHost)).as("the webhook URL's host %s is a try-profile service", catcherHost).containsExactly("try");
            assertThat(compose.profiles(mail.setting("smtp-host"))).as("the SMTP host is a try-profile service").containsExactly("try");
        }
    }

    @Test
    void tokensAndTheSecretsKeyComeFromTheEnvFile() throws Exception {
        Set<String> secrets = Set.of("TOCSIN_SECURITY_INGEST_TOKEN", "TOCSIN_SECURITY_ADMIN_TOKEN", "TOCSIN_SECRETS_KEY");
        compose.tocsinServices().keySet().forEach(service -> compose.environment(service).forEach((name, value) -> {
            if (secrets.contains(name)) {
                assertThat(value).as("%s of %s is interpolated from .env", name, service).startsWith("${" + name + ":-");
            }
        }));
        assertThat(ComposeFile.ENV_EXAMPLE).isRegularFile();
        Set<String> documented = new TreeSet<>();
        for (String line : Files.readAllLines(ComposeFile.ENV_EXAMPLE)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                assertThat(line).as(".env.example line").matches("[A-Z][A-Z0-9_]*=.*");
                documented.add(line.substring(0, line.indexOf('=')));
            }
        }
        assertThat(documented).as("every variable of .env.example is used by docker-compose.yml")
                .isSubsetOf(compose.variables());
        assertThat(documented).as("the secrets are in .env.example").containsAll(secrets);
        assertThat(compose.variables()).as("every variable docker-compose.yml uses is in .env.example")
                .isSubsetOf(documented);
    }

    /** An application context whose environment holds only {@code variables}, as environment variables. No beans start. */
    private static ApplicationContext environmentOnly(Map<String, Object> variables) {
        ApplicationContext context = ApplicationContext.builder().environmentPropertySource(false)
                .propertySources(PropertySource.of("docker-compose", variables, PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE))
                .build();
        context.getEnvironment().start();
        return context;
    }

    /** Every built-in channel, as the dispatcher's context would inject them. */
    private static List<Notifier> allChannels() {
        DispatcherSettings settings = DispatcherSettings.defaults();
        OutboundTargets targets = OutboundTargets.defaults();
        JsonHttpSender sender = new JsonHttpSender(settings, targets);
        return List.of(new WebhookNotifier(sender), new EmailNotifier(settings, targets), new SnmpNotifier(settings, targets),
                new PluginNotifier("plugins"), new PagerDutyNotifier(sender), new OpsgenieNotifier(sender),
                new SplunkOnCallNotifier(sender), new ServiceNowNotifier(sender), new SlackNotifier(sender),
                new DiscordNotifier(sender), new TelegramNotifier(sender), new TeamsNotifier(sender));
    }

    /** A channel setting as its variable: {@code smtp-host} and {@code routingKey} as {@code SMTP_HOST}, {@code ROUTING_KEY}. */
    private static String variableOfSetting(String setting) {
        return ConfigurationKeys.variableOf(setting.replaceAll("([a-z0-9])([A-Z])", "$1-$2"));
    }
}
