package io.tocsin.standalone.deploy;

import static io.tocsin.standalone.deploy.RenderedChart.at;
import static io.tocsin.standalone.deploy.RenderedChart.containers;
import static io.tocsin.standalone.deploy.RenderedChart.env;
import static io.tocsin.standalone.deploy.RenderedChart.list;
import static io.tocsin.standalone.deploy.RenderedChart.map;
import static io.tocsin.standalone.deploy.RenderedChart.podSpec;
import static io.tocsin.standalone.deploy.RenderedChart.string;
import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart rendered with its default values and with the values files of {@code k8s/helm/tocsin/ci/} (every option
 * on and secrets as values; secrets only from existing Secrets): what every workload must have, and where each
 * kind of setting lands. What the pods make of the rendered configuration is {@link ChartConfigurationTest}'s.
 */
class HelmChartTest {

    static Stream<String> valuesFiles() {
        return Stream.of("", "full-values.yaml", "existing-secret-values.yaml");
    }

    static RenderedChart render(String valuesFile) {
        return valuesFile.isEmpty() ? RenderedChart.render() : RenderedChart.render(RenderedChart.ciValues(valuesFile));
    }

    @Test
    void lintPassesStrictly() {
        LintResult result = new Helm(RenderedChart.chartDir()).lint().strict().call();
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
        assertThat(result.getMessages()).allMatch(m -> m.startsWith("[INFO]"), "only informational messages");
    }

    @Test
    void defaultValuesRenderTheFourServicesAndTheNodeCollectors() {
        RenderedChart chart = RenderedChart.render();
        assertThat(chart.ofKind("Deployment")).extracting(d -> at(d, "metadata", "name"))
                .containsExactlyInAnyOrder("tocsin-collector", "tocsin-rules", "tocsin-dispatcher", "tocsin-cloud");
        assertThat(chart.ofKind("DaemonSet")).extracting(d -> at(d, "metadata", "name")).containsExactly("tocsin-collector-host");
        assertThat(chart.ofKind("Service")).hasSize(5);
        assertThat(chart.ofKind("PodDisruptionBudget")).extracting(p -> at(p, "spec", "maxUnavailable")).containsOnly(1).hasSize(4);
        // Optional parts are off, and with no secret given the chart creates no Secret.
        for (String kind : List.of("Secret", "Ingress", "HorizontalPodAutoscaler", "ServiceMonitor", "PrometheusRule")) {
            assertThat(chart.ofKind(kind)).as(kind).isEmpty();
        }
        assertThat(chart.has("ConfigMap", "rules-files")).isFalse();
        assertThat(RenderedChart.envNames(containers(chart.get("Deployment", "rules")).getFirst())).doesNotContain("TOCSIN_RULES_RULES_DIR");
        assertThat(chart.text()).contains("image: \"tocsin/rules:0.1.0-SNAPSHOT\"");
    }

    @Test
    void theNodeCollectorsReadTheHostThroughReadOnlyMountsAndTheIngestOnesDoNot() {
        RenderedChart chart = RenderedChart.render();
        Map<String, Object> daemonSet = chart.get("DaemonSet", "collector-host");
        Map<String, Object> container = containers(daemonSet).getFirst();
        assertThat(string(env(container, "TOCSIN_COLLECTOR_HOST_ENABLED"), "value")).isEqualTo("true");
        assertThat(string(env(container, "TOCSIN_COLLECTOR_HOSTNAME"), "valueFrom", "fieldRef", "fieldPath")).isEqualTo("spec.nodeName");
        assertThat(string(env(container, "OSHI_UTIL_PROC_PATH"), "value")).isEqualTo("/host/proc");
        assertThat(string(env(container, "OSHI_UTIL_SYS_PATH"), "value")).isEqualTo("/host/sys");
        Map<String, String> hostPaths = new java.util.HashMap<>();
        list(podSpec(daemonSet).get("volumes")).stream().map(v -> map(v, "volume")).filter(v -> v.containsKey("hostPath"))
                .forEach(v -> hostPaths.put(String.valueOf(v.get("name")), string(v, "hostPath", "path")));
        assertThat(hostPaths).containsOnly(Map.entry("host-proc", "/proc"), Map.entry("host-sys", "/sys"), Map.entry("host-root", "/"));
        List<Map<String, Object>> hostMounts = list(container.get("volumeMounts")).stream().map(m -> map(m, "mount"))
                .filter(m -> hostPaths.containsKey(String.valueOf(m.get("name")))).toList();
        assertThat(hostMounts).extracting(m -> m.get("mountPath")).containsExactlyInAnyOrder("/host/proc", "/host/sys", "/host/root");
        assertThat(hostMounts).allSatisfy(m -> assertThat(m.get("readOnly")).isEqualTo(true));
        // Its file systems are the node's below /host/root, not the pod's own, reported under the node's names.
        assertThat(string(env(container, "TOCSIN_COLLECTOR_HOST_ROOT_PREFIX"), "value")).isEqualTo("/host/root");
        assertThat(list(at(chart.configFile("collector-host"), "tocsin", "collector", "host", "exclude-mounts")))
                .contains("/var/lib/kubelet/**").noneMatch(glob -> String.valueOf(glob).startsWith("/host/"));
        // No API token: the node collectors serve only /health and /prometheus.
        assertThat(RenderedChart.envNames(container)).noneMatch(n -> n.startsWith("TOCSIN_SECURITY_"));

        Map<String, Object> ingest = containers(chart.get("Deployment", "collector")).getFirst();
        assertThat(string(env(ingest, "TOCSIN_COLLECTOR_HOST_ENABLED"), "value")).isEqualTo("false");
        assertThat(podSpec(chart.get("Deployment", "collector")).toString()).doesNotContain("hostPath");
    }

    @ParameterizedTest
    @MethodSource("valuesFiles")
    void everyContainerHasProbesLimitsAndARestrictedSecurityContext(String valuesFile) {
        RenderedChart chart = render(valuesFile);
        assertThat(chart.workloads()).hasSize(5);
        for (Map<String, Object> workload : chart.workloads()) {
            Map<String, Object> pod = podSpec(workload);
            assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);
            assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
            for (Map<String, Object> c : containers(workload)) {
                String what = at(workload, "metadata", "name") + "/" + c.get("name");
                for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                    assertThat(string(c, probe, "httpGet", "path")).as(what + " " + probe).startsWith("/health/");
                    assertThat(at(c, probe, "httpGet", "port")).as(what + " " + probe).isEqualTo("http");
                }
                assertThat(at(c, "resources", "limits", "cpu")).as(what + " cpu limit").isNotNull();
                assertThat(at(c, "resources", "limits", "memory")).as(what + " memory limit").isNotNull();
                assertThat(at(c, "resources", "requests", "memory")).as(what + " memory request").isNotNull();
                Map<String, Object> security = map(c.get("securityContext"), what + " securityContext");
                assertThat(security).as(what).containsEntry("runAsNonRoot", true).containsEntry("readOnlyRootFilesystem", true)
                        .containsEntry("allowPrivilegeEscalation", false).containsEntry("privileged", false);
                assertThat((Integer) security.get("runAsUser")).as(what).isPositive();
                assertThat(list(at(security, "capabilities", "drop"))).as(what).containsExactly("ALL");
                assertThat(at(security, "seccompProfile", "type")).as(what).isEqualTo("RuntimeDefault");
                // A read-only root needs a writable /tmp (JVM, Netty's and RocksDB's native libraries).
                assertThat(list(c.get("volumeMounts"))).as(what).anyMatch(m -> "/tmp".equals(map(m, "mount").get("mountPath")));
            }
        }
    }

    @Test
    void aRulesOverrideReachesTheRulesConfigMapWhichIsMountedAsTheRulesDirectory() throws Exception {
        RenderedChart chart = RenderedChart.render(RenderedChart.ciValues("full-values.yaml"));
        Map<String, Object> files = map(at(chart.get("ConfigMap", "rules-files"), "data"), "rules files");
        assertThat(files).containsOnlyKeys("50-values.yaml", "60-backup.yaml");
        Object cpu = list(at(RenderedChart.yaml().load(String.valueOf(files.get("50-values.yaml"))), "rules")).getFirst();
        assertThat(at(cpu, "type")).isEqualTo("HostCpuUsage");
        assertThat(at(cpu, "warning", "above")).isEqualTo(85);

        Map<String, Object> rules = chart.get("Deployment", "rules");
        Map<String, Object> container = containers(rules).getFirst();
        assertThat(string(env(container, "TOCSIN_RULES_RULES_DIR"), "value")).isEqualTo("/etc/tocsin/rules");
        assertThat(list(container.get("volumeMounts"))).anySatisfy(m -> assertThat(m).isEqualTo(
                Map.of("name", "rules", "mountPath", "/etc/tocsin/rules", "readOnly", true)));
        assertThat(list(podSpec(rules).get("volumes"))).anySatisfy(v -> assertThat(v).isEqualTo(
                Map.of("name", "rules", "configMap", Map.of("name", "tocsin-rules-files"))));
        assertThat(map(at(chart.get("Deployment", "rules"), "spec"), "spec")).containsEntry("replicas", 2);
        // The rules service itself loads that directory: the override replaces the shipped rule.
        Path dir = Files.createTempDirectory("rules-dir");
        for (Map.Entry<String, Object> file : files.entrySet()) {
            Files.writeString(dir.resolve(file.getKey()), String.valueOf(file.getValue()));
        }
        var loaded = io.tocsin.rules.definition.RulesLoader.defaultsAnd(dir);
        assertThat(loaded.rule("HostCpuUsage").orElseThrow().warning().low()).isEqualTo(85.0);
        assertThat(loaded.effective("HostCpuUsage", "batch", "h1").warning().low()).isEqualTo(97.0);
        assertThat(loaded.rule("BackupFailed")).isPresent();
        assertThat(loaded.rule("HostRamUsage")).as("shipped rules stay").isPresent();
    }

    @Test
    void aDeclaredIntegrationReachesTheDispatcherConfigMapAndItsSecretsOnlyASecret() {
        RenderedChart chart = RenderedChart.render(RenderedChart.ciValues("full-values.yaml"));
        Map<String, Object> integrations = map(at(chart.configFile("dispatcher"), "tocsin", "dispatcher", "integrations"), "integrations");
        assertThat(integrations).containsOnlyKeys("ops-hook", "pd", "og");
        assertThat(map(integrations.get("pd"), "pd")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "service", "pagerduty", "events", List.of("All Events"), "routingKey", "${SECRET_INTEGRATION_PD_ROUTINGKEY}"));
        assertThat(map(integrations.get("ops-hook"), "ops-hook")).containsEntry("format", "extended").containsEntry("rate-limit", 50)
                .containsEntry("send-ended", false).containsEntry("clusters", List.of("prod"))
                .containsEntry("url", "${SECRET_INTEGRATION_OPS_HOOK_URL}")
                .containsEntry("header.X-Api-Key", "${SECRET_INTEGRATION_OPS_HOOK_HEADER_X_API_KEY}");

        Map<String, Object> dispatcher = containers(chart.get("Deployment", "dispatcher")).getFirst();
        assertThat(at(env(dispatcher, "SECRET_INTEGRATION_PD_ROUTINGKEY"), "valueFrom", "secretKeyRef"))
                .isEqualTo(Map.of("name", "tocsin", "key", "integration.pd.routingKey"));
        assertThat(chart.secretData()).containsEntry("integration.pd.routingKey", "R0UT1NGKEY0123456789abcdefSECRET")
                .containsEntry("integration.ops-hook.url", "https://hooks.example.com/SECRET-hook-path");
        // A secretRef points at the existing Secret; its value is nowhere in the chart.
        assertThat(at(env(dispatcher, "SECRET_INTEGRATION_OG_APIKEY"), "valueFrom", "secretKeyRef"))
                .isEqualTo(Map.of("name", "opsgenie", "key", "api-key"));
        assertThat(chart.secretData()).doesNotContainKey("integration.og.apiKey");
        // Only the dispatcher gets integration secrets; every service gets the API tokens.
        for (Map<String, Object> workload : chart.workloads()) {
            List<String> names = RenderedChart.envNames(containers(workload).getFirst());
            assertThat(names.stream().anyMatch(n -> n.startsWith("SECRET_INTEGRATION_")))
                    .isEqualTo("tocsin-dispatcher".equals(at(workload, "metadata", "name")));
        }
    }

    @Test
    void theOptionalPartsRouteScaleAndScrapeTheRightServices() throws Exception {
        RenderedChart chart = RenderedChart.render(RenderedChart.ciValues("full-values.yaml"));
        Map<String, Object> ingress = chart.get("Ingress", RenderedChart.RELEASE);
        assertThat(at(ingress, "spec", "ingressClassName")).isEqualTo("nginx");
        Object rule = list(at(ingress, "spec", "rules")).getFirst();
        assertThat(at(rule, "host")).isEqualTo("tocsin.example.com");
        Map<String, String> routes = new java.util.HashMap<>();
        list(at(rule, "http", "paths")).forEach(p -> routes.put(string(p, "path"),
                string(p, "backend", "service", "name") + ":" + string(p, "backend", "service", "port", "number")));
        assertThat(routes).containsEntry("/api/v1/ingest", "tocsin-collector:8081").containsEntry("/api/v1/alarms", "tocsin-rules:8082")
                .containsEntry("/api/v1/silences", "tocsin-rules:8082").containsEntry("/api/v1/integrations", "tocsin-dispatcher:8083")
                .containsEntry("/api/v1/dlq", "tocsin-dispatcher:8083").containsEntry("/api/v1/cloud", "tocsin-cloud:8084").hasSize(10);

        for (String component : List.of("collector", "dispatcher")) {
            Map<String, Object> hpa = chart.get("HorizontalPodAutoscaler", component);
            assertThat(at(hpa, "spec", "scaleTargetRef")).isEqualTo(Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", "tocsin-" + component));
            assertThat(at(hpa, "spec", "maxReplicas")).isEqualTo(6);
            // The HPA owns the replica count: a rendered one would fight it at every upgrade.
            assertThat(map(at(chart.get("Deployment", component), "spec"), "spec")).doesNotContainKey("replicas");
        }

        Map<String, Object> monitor = chart.get("ServiceMonitor", RenderedChart.RELEASE);
        assertThat(at(monitor, "metadata", "labels", "release")).isEqualTo("kube-prometheus-stack");
        assertThat(list(at(monitor, "spec", "endpoints"))).containsExactly(Map.of("port", "http", "path", "/prometheus", "interval", "30s"));
        Map<String, Object> selector = map(at(monitor, "spec", "selector", "matchLabels"), "selector");
        assertThat(chart.ofKind("Service")).hasSize(5).allSatisfy(service -> {
            assertThat(map(at(service, "metadata", "labels"), "labels")).containsAllEntriesOf(selector);
            assertThat(list(at(service, "spec", "ports"))).anySatisfy(p -> assertThat(at(p, "name")).isEqualTo("http"));
        });

        Path files = RenderedChart.chartDir().resolve("files");
        assertThat(at(chart.get("ConfigMap", "grafana-dashboard"), "data", "tocsin.json"))
                .isEqualTo(Files.readString(files.resolve("grafana-dashboard.json")).strip());
        Object rules = RenderedChart.yaml().load(Files.readString(files.resolve("prometheus-rules.yaml")));
        Object groups = at(rules, "groups") != null ? at(rules, "groups") : at(rules, "spec", "groups");
        assertThat(at(chart.get("PrometheusRule", RenderedChart.RELEASE), "spec", "groups")).isEqualTo(groups).isNotNull();
    }

    @ParameterizedTest
    @MethodSource("valuesFiles")
    void noSecretValueIsInAnyObjectButTheSecret(String valuesFile) throws Exception {
        RenderedChart chart = render(valuesFile);
        List<String> secrets = valuesFile.isEmpty() ? List.of() : secretValues(RenderedChart.ciValues(valuesFile));
        for (Map<String, Object> object : chart.objects()) {
            if ("Secret".equals(object.get("kind"))) {
                continue;
            }
            String dumped = RenderedChart.yaml().dump(object);
            for (String secret : secrets) {
                assertThat(dumped).as(object.get("kind") + " " + at(object, "metadata", "name")).doesNotContain(secret);
            }
        }
        if (valuesFile.equals("full-values.yaml")) {
            assertThat(secrets).hasSize(7);
            assertThat(chart.secretData().values()).containsAll(secrets);
        }
    }

    @Test
    void existingSecretsAreReferencedAndTheChartCreatesNone() {
        RenderedChart chart = RenderedChart.render(RenderedChart.ciValues("existing-secret-values.yaml"));
        assertThat(chart.ofKind("Secret")).isEmpty();
        Map<String, Object> dispatcher = containers(chart.get("Deployment", "dispatcher")).getFirst();
        assertThat(at(env(dispatcher, "TOCSIN_SECRETS_KEY"), "valueFrom", "secretKeyRef"))
                .isEqualTo(Map.of("name", "tocsin-secrets", "key", "secrets-key"));
        assertThat(at(env(dispatcher, "TOCSIN_SECURITY_ADMIN_TOKEN"), "valueFrom", "secretKeyRef"))
                .isEqualTo(Map.of("name", "tocsin-secrets", "key", "admin-token"));
        assertThat(at(env(dispatcher, "SECRET_INTEGRATION_PD_ROUTINGKEY"), "valueFrom", "secretKeyRef"))
                .isEqualTo(Map.of("name", "pagerduty", "key", "routing-key"));
        for (Map<String, Object> workload : chart.workloads()) {
            assertThat(at(env(containers(workload).getFirst(), "SECRET_KAFKA_SASL_JAAS_CONFIG"), "valueFrom", "secretKeyRef"))
                    .isEqualTo(Map.of("name", "kafka-user", "key", "sasl.jaas.config"));
        }
        // The rules service has no use for the encryption key.
        assertThat(RenderedChart.envNames(containers(chart.get("Deployment", "rules")).getFirst())).doesNotContain("TOCSIN_SECRETS_KEY");
    }

    /** Every secret given as a value in a values file: secrets.*, kafka.secretProperties, integrations' secrets. */
    static List<String> secretValues(Path valuesFile) throws Exception {
        Object values = RenderedChart.yaml().load(Files.readString(valuesFile));
        List<String> found = new ArrayList<>();
        for (String key : List.of("secretsKey", "ingestToken", "adminToken")) {
            Object value = at(values, "secrets", key);
            if (value != null && !String.valueOf(value).isEmpty()) {
                found.add(String.valueOf(value));
            }
        }
        Object kafka = at(values, "kafka", "secretProperties");
        if (kafka != null) {
            map(kafka, "secretProperties").values().forEach(v -> found.add(String.valueOf(v)));
        }
        Object integrations = at(values, "dispatcher", "integrations");
        if (integrations != null) {
            map(integrations, "integrations").values().forEach(i -> {
                Object s = at(i, "secrets");
                if (s != null) {
                    map(s, "secrets").values().forEach(v -> found.add(String.valueOf(v)));
                }
            });
        }
        return found;
    }
}
