package io.tocsin.standalone.deploy;

import static io.tocsin.standalone.deploy.RenderedChart.at;
import static io.tocsin.standalone.deploy.RenderedChart.containers;
import static io.tocsin.standalone.deploy.RenderedChart.list;
import static io.tocsin.standalone.deploy.RenderedChart.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.tocsin.testing.ConfigSources;
import io.micronaut.context.env.yaml.YamlPropertySourceLoader;
import io.micronaut.core.naming.conventions.StringConvention;
import io.micronaut.core.type.Argument;
import io.tocsin.dispatcher.DispatcherSettings;
import io.tocsin.dispatcher.channel.opsgenie.OpsgenieNotifier;
import io.tocsin.dispatcher.channel.pagerduty.PagerDutyNotifier;
import io.tocsin.dispatcher.channel.webhook.WebhookNotifier;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.delivery.OutboundTargets;
import io.tocsin.dispatcher.integration.DeclaredIntegrations;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.dispatcher.integration.IntegrationRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a pod's Micronaut makes of the rendered chart: each workload's tocsin.yml (as MICRONAUT_CONFIG_FILES reads it)
 * and its environment (Secret references resolved as the kubelet would) become a Micronaut {@link Environment}, and the
 * services' own readers take it from there. So the chart is checked against the code, not against itself: a key the
 * code does not read, a placeholder that does not resolve or a setting a channel refuses fails here.
 */
class ChartConfigurationTest {

    /** Values of the Secrets that full-values.yaml names but does not create. */
    private static final Map<String, String> EXISTING_SECRETS = Map.of(
            "opsgenie/api-key", "0123abcd-4567-89ef-0123-456789abcdef", "kafka-truststore/password", "truststore-pw");

    @Test
    void theDispatcherDeclaresTheIntegrationsOfTheValuesWithTheirSecrets() {
        RenderedChart chart = RenderedChart.render(RenderedChart.ciValues("full-values.yaml"));
        try (ApplicationContext context = podContext(chart, "Deployment", "dispatcher")) {
            JsonHttpSender sender = new JsonHttpSender(DispatcherSettings.defaults(), OutboundTargets.defaults());
            // The registry validates every declared integration against its channel, as the dispatcher does at start.
            IntegrationRegistry registry = new IntegrationRegistry(new DeclaredIntegrations(context.getEnvironment()),
                    List.of(new WebhookNotifier(sender), new PagerDutyNotifier(sender), new OpsgenieNotifier(sender)));
            Map<String, IntegrationConfig> byName = new LinkedHashMap<>();
            registry.all().forEach(i -> byName.put(i.name(), i));
            assertThat(byName).containsOnlyKeys("og", "ops-hook", "pd");

            assertThat(byName.get("pd").settings()).containsExactlyEntriesOf(Map.of("routingKey", "R0UT1NGKEY0123456789abcdefSECRET"));
            assertThat(byName.get("pd").events()).containsExactly("All Events");
            IntegrationConfig hook = byName.get("ops-hook");
            assertThat(hook.service()).isEqualTo("webhook");
            assertThat(hook.settings()).containsEntry("url", "https://hooks.example.com/SECRET-hook-path")
                    .containsEntry("header.X-Api-Key", "hook-SECRET-header").containsEntry("format", "extended")
                    .containsEntry("rate-limit", "50").hasSize(4);
            assertThat(hook.clusters()).containsExactly("prod");
            assertThat(hook.events()).containsExactly("All Critical Events");
            assertThat(hook.sendEnded()).isFalse();
            assertThat(byName.get("og").settings()).containsEntry("apiKey", EXISTING_SECRETS.get("opsgenie/api-key"))
                    .containsEntry("region", "eu");
            assertThat(context.getEnvironment().getProperty("tocsin.dispatcher.delivery-deadline", String.class)).contains("30m");
            assertThat(context.getEnvironment().getProperty("tocsin.secrets.key", String.class))
                    .contains("q83vEi3r2p6mCk1b3Xy9hXyP8wq0aZs7YQk5VnQj2dE=");
        }
    }

    @Test
    void everyServiceGetsKafkaAndItsTokensWithTheSecretsResolved() {
        RenderedChart chart = RenderedChart.render(RenderedChart.ciValues("full-values.yaml"));
        for (Map<String, Object> workload : chart.workloads()) {
            String name = String.valueOf(at(workload, "metadata", "name")).substring(RenderedChart.RELEASE.length() + 1);
            try (ApplicationContext context = podContext(chart, String.valueOf(workload.get("kind")), name)) {
                Environment env = context.getEnvironment();
                // The map KafkaSettings.properties binds (FLAT, RAW keys): dotted Kafka names kept as written.
                assertThat(env.getProperties("tocsin.kafka.properties", StringConvention.RAW)).as(name).containsExactlyInAnyOrderEntriesOf(Map.of(
                        "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                        "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"tocsin\" password=\"kafka-SECRET-pw\";",
                        "ssl.truststore.location", "/etc/tocsin/kafka-tls/truststore.p12", "ssl.truststore.type", "PKCS12",
                        "ssl.truststore.password", "truststore-pw"));
                assertThat(env.getProperty("tocsin.kafka.bootstrap-servers", String.class)).contains("kafka-0.kafka:9093,kafka-1.kafka:9093");
                assertThat(env.getProperty("tocsin.kafka.partitions", Integer.class)).contains(6);
                assertThat(env.getProperty("tocsin.kafka.replication-factor", Short.class)).contains((short) 3);
                assertThat(env.getProperty("tocsin.security.admin-token", String.class))
                        .isEqualTo(name.equals("collector-host") ? java.util.Optional.empty() : java.util.Optional.of("admin-SECRET-token-0123456789"));
            }
        }
    }

    @Test
    void theChartOwnedSettingsReachTheirServices() {
        RenderedChart chart = RenderedChart.render(RenderedChart.ciValues("full-values.yaml"));
        try (ApplicationContext rules = podContext(chart, "Deployment", "rules")) {
            Environment env = rules.getEnvironment();
            assertThat(env.getProperty("tocsin.rules.advertised-address", String.class)).contains("10.1.2.3:8082");
            assertThat(env.getProperty("tocsin.rules.rules-dir", String.class)).contains("/etc/tocsin/rules");
            assertThat(env.getProperty("tocsin.rules.state-dir", String.class)).contains("/var/lib/tocsin/streams");
            assertThat(env.getProperty("tocsin.rules.stream-threads", Integer.class)).contains(2);
            assertThat(env.getProperty("tocsin.rules.heartbeat-sources", Argument.mapOf(String.class, String.class)))
                    .contains(Map.of("cmon-1", "5m"));
            assertThat(env.getProperty("micronaut.server.port", Integer.class)).contains(8082);
        }
        try (ApplicationContext host = podContext(chart, "DaemonSet", "collector-host")) {
            Environment env = host.getEnvironment();
            assertThat(env.getProperty("tocsin.collector.host.enabled", Boolean.class)).contains(true);
            assertThat(env.getProperty("tocsin.collector.hostname", String.class)).contains("node-1");
            assertThat(env.getProperty("tocsin.collector.cluster", String.class)).contains("prod");
            // The node's / is mounted at /host/root: its mount points are reported, and filtered, under the node's names.
            assertThat(env.getProperty("tocsin.collector.host.root-prefix", String.class)).contains("/host/root");
            assertThat(env.getProperty("tocsin.collector.host.exclude-mounts", Argument.listOf(String.class)).orElseThrow())
                    .contains("/var/lib/kubelet/**", "/proc/**").noneMatch(glob -> glob.startsWith("/host/"));
            assertThat(env.getProperty("tocsin.collector.host.include-mounts", Argument.listOf(String.class)).orElse(List.of())).isEmpty();
        }
        try (ApplicationContext ingest = podContext(chart, "Deployment", "collector")) {
            assertThat(ingest.getEnvironment().getProperty("tocsin.collector.host.enabled", Boolean.class)).contains(false);
            assertThat(ingest.getEnvironment().getProperty("tocsin.collector.ingest.max-records", Integer.class)).contains(500);
        }
    }

    /** Every key the chart writes to a tocsin.yml or sets as a TOCSIN_ variable is one docs/CONFIGURATION.md documents. */
    @ParameterizedTest
    @ValueSource(strings = {"", "full-values.yaml", "existing-secret-values.yaml"})
    void everyRenderedSettingIsADocumentedOne(String valuesFile) throws Exception {
        RenderedChart chart = valuesFile.isEmpty() ? RenderedChart.render() : RenderedChart.render(RenderedChart.ciValues(valuesFile));
        String doc = Files.readString(RenderedChart.repositoryRoot().resolve("docs/CONFIGURATION.md"), StandardCharsets.UTF_8);
        List<Pattern> keys = new ArrayList<>();
        List<Pattern> envNames = new ArrayList<>();
        // The first cell of each table row names the keys: `tocsin.kafka.partitions`, `tocsin.collector.probes.<name>.host`.
        Matcher row = Pattern.compile("(?m)^\\| ([^|]+)\\|").matcher(doc);
        while (row.find()) {
            Matcher key = Pattern.compile("`((?:tocsin|micronaut)\\.[^`]+)`").matcher(row.group(1));
            while (key.find()) {
                keys.add(keyPattern(key.group(1), Function.identity(), "[^.]+"));
                envNames.add(keyPattern(key.group(1), k -> k.toUpperCase().replaceAll("[.-]", "_"), "[A-Z0-9_]+"));
            }
        }
        assertThat(keys).as("keys found in CONFIGURATION.md").hasSizeGreaterThan(60);
        // Integration settings are each channel's (checked by the channels themselves in the dispatcher test above).
        keys.add(Pattern.compile("tocsin\\.dispatcher\\.integrations\\.[^.]+\\..+"));

        for (Map<String, Object> config : chart.ofKind("ConfigMap")) {
            Object file = at(config, "data", "tocsin.yml");
            if (file == null) {
                continue;
            }
            for (String key : flatten("", RenderedChart.yaml().load(String.valueOf(file)))) {
                assertThat(keys).as(key + " in " + at(config, "metadata", "name")).anyMatch(p -> p.matcher(key).matches());
            }
        }
        for (Map<String, Object> workload : chart.workloads()) {
            for (String name : RenderedChart.envNames(containers(workload).getFirst())) {
                if (name.startsWith("TOCSIN_")) {
                    assertThat(envNames).as(name + " of " + at(workload, "metadata", "name")).anyMatch(p -> p.matcher(name).matches());
                }
            }
        }
    }

    private static Pattern keyPattern(String documented, Function<String, String> form, String segment) {
        String key = form.apply(documented);
        boolean family = key.endsWith(".*") || key.endsWith("_*");
        String fixed = family ? key.substring(0, key.length() - 2) : key;
        StringBuilder regex = new StringBuilder();
        Matcher placeholder = Pattern.compile("<[^>]+>", Pattern.CASE_INSENSITIVE).matcher(fixed);
        int last = 0;
        while (placeholder.find()) {
            regex.append(Pattern.quote(fixed.substring(last, placeholder.start()))).append(segment);
            last = placeholder.end();
        }
        regex.append(Pattern.quote(fixed.substring(last)));
        return Pattern.compile(regex + (family ? "[._].+" : ""));
    }

    /** Dotted keys of a YAML tree's leaves (a list is a leaf). */
    private static List<String> flatten(String prefix, Object node) {
        List<String> out = new ArrayList<>();
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.addAll(flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v)));
        } else {
            out.add(prefix);
        }
        return out;
    }

    /**
     * The Micronaut environment of one rendered workload's container: its tocsin.yml as the file of
     * MICRONAUT_CONFIG_FILES and its variables as the process environment (which takes precedence), values from
     * Secrets, the downward API (node-1, 10.1.2.3) and {@code $(VAR)} references resolved as the kubelet does.
     */
    static ApplicationContext podContext(RenderedChart chart, String kind, String name) {
        Map<String, Object> container = containers(chart.get(kind, name)).getFirst();
        Map<String, String> secrets = chart.has("Secret", RenderedChart.RELEASE) ? chart.secretData() : Map.of();
        Map<String, Object> variables = new LinkedHashMap<>();
        for (Object item : list(container.get("env"))) {
            Map<String, Object> variable = map(item, "env");
            String value;
            if (variable.containsKey("value")) {
                value = String.valueOf(variable.get("value"));
                Matcher reference = Pattern.compile("\\$\\(([A-Z_][A-Z0-9_]*)\\)").matcher(value);
                value = reference.replaceAll(r -> Matcher.quoteReplacement(String.valueOf(variables.getOrDefault(r.group(1), r.group()))));
            } else if (at(variable, "valueFrom", "secretKeyRef") != null) {
                String secret = String.valueOf(at(variable, "valueFrom", "secretKeyRef", "name"));
                String key = String.valueOf(at(variable, "valueFrom", "secretKeyRef", "key"));
                value = secret.equals(RenderedChart.RELEASE) ? secrets.get(key) : EXISTING_SECRETS.get(secret + "/" + key);
                if (value == null) {
                    throw new NoSuchElementException(variable.get("name") + ": no key " + key + " in Secret " + secret);
                }
            } else {
                String field = String.valueOf(at(variable, "valueFrom", "fieldRef", "fieldPath"));
                value = Map.of("spec.nodeName", "node-1", "status.podIP", "10.1.2.3").get(field);
            }
            variables.put(String.valueOf(variable.get("name")), value);
        }
        String configMap = String.valueOf(list(at(chart.get(kind, name), "spec", "template", "spec", "volumes")).stream()
                .map(v -> map(v, "volume")).filter(v -> "config".equals(v.get("name"))).findFirst().map(v -> at(v, "configMap", "name"))
                .orElseThrow());
        String file = String.valueOf(at(chart.get("ConfigMap", configMap), "data", "tocsin.yml"));
        Map<String, Object> fileProperties = new YamlPropertySourceLoader().read("tocsin.yml", file.getBytes(StandardCharsets.UTF_8));
        ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).environmentPropertySource(false)
                .propertySources(ConfigSources.of("tocsin.yml", fileProperties, 50, PropertySource.PropertyConvention.JAVA_PROPERTIES),
                        ConfigSources.of("env", variables, 100, PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE))
                .build();
        context.getEnvironment().start(); // the environment only: no beans, no Kafka
        return context;
    }
}
