package io.tocsin.standalone.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Tocsin Helm chart ({@code k8s/helm/tocsin}) rendered by the Helm library (helm-java: Helm's own Go code,
 * bundled natively, so no {@code helm} binary and no network), parsed into plain maps.
 *
 * <p>Errors: {@link #render} throws {@link IllegalStateException} with Helm's message when the chart does not render
 * (a template error or a {@code fail} of the chart's validation); the lookups throw {@link NoSuchElementException}
 * naming what was missing, so a test failure says which object or field the chart did not produce.
 */
final class RenderedChart {

    /** The release name the manifests and the tests use: object names are then "tocsin-rules", ... */
    static final String RELEASE = "tocsin";
    /** helm-java's client-only default is v1.20.0, below the chart's kubeVersion; the tests name a current one. */
    static final String KUBE_VERSION = "1.31.0";

    private final String text;
    private final List<Map<String, Object>> objects;

    private RenderedChart(String text, List<Map<String, Object>> objects) {
        this.text = text;
        this.objects = objects;
    }

    /** The repository's root: the first directory up from the working directory that holds k8s/helm/tocsin. */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("k8s/helm/tocsin/Chart.yaml"))) {
                return dir;
            }
        }
        throw new NoSuchElementException("k8s/helm/tocsin/Chart.yaml not found above " + Path.of("").toAbsolutePath());
    }

    static Path chartDir() {
        return repositoryRoot().resolve("k8s/helm/tocsin");
    }

    /** A values file of the chart's ci/ directory (the tests' values, also examples). */
    static Path ciValues(String name) {
        return chartDir().resolve("ci").resolve(name);
    }

    /** {@code helm template tocsin k8s/helm/tocsin -f ...}: the rendered text, as Helm prints it. */
    static String template(Path... valuesFiles) {
        TemplateCommand command = new Helm(chartDir()).template().withName(RELEASE).withKubeVersion(KUBE_VERSION);
        for (Path values : valuesFiles) {
            command = command.withValuesFile(values);
        }
        return command.call();
    }

    static RenderedChart render(Path... valuesFiles) {
        String text = template(valuesFiles);
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : yaml().loadAll(text)) {
            if (document != null) {
                objects.add(map(document, "document"));
            }
        }
        return new RenderedChart(text, objects);
    }

    static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    String text() {
        return text;
    }

    List<Map<String, Object>> objects() {
        return objects;
    }

    List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    /** The object of that kind and name ("rules" is short for "tocsin-rules"). */
    Map<String, Object> get(String kind, String name) {
        String full = name.startsWith(RELEASE) ? name : RELEASE + "-" + name;
        return ofKind(kind).stream().filter(o -> full.equals(at(o, "metadata", "name"))).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no " + kind + " " + full + " in the rendered chart"));
    }

    boolean has(String kind, String name) {
        String full = name.startsWith(RELEASE) ? name : RELEASE + "-" + name;
        return ofKind(kind).stream().anyMatch(o -> full.equals(at(o, "metadata", "name")));
    }

    /** Deployments and DaemonSets. */
    List<Map<String, Object>> workloads() {
        return objects.stream().filter(o -> List.of("Deployment", "DaemonSet").contains(o.get("kind"))).toList();
    }

    /** The tocsin.yml of a workload's ConfigMap, parsed. */
    Map<String, Object> configFile(String configMap) {
        return map(yaml().load(string(get("ConfigMap", configMap), "data", "tocsin.yml")), "tocsin.yml of " + configMap);
    }

    /** The chart's Secret ("tocsin"), decoded. */
    Map<String, String> secretData() {
        Map<String, String> decoded = new LinkedHashMap<>();
        map(at(get("Secret", RELEASE), "data"), "data").forEach((key, value) ->
                decoded.put(key, new String(Base64.getDecoder().decode(String.valueOf(value)), StandardCharsets.UTF_8)));
        return decoded;
    }

    static List<Map<String, Object>> containers(Map<String, Object> workload) {
        return list(at(workload, "spec", "template", "spec", "containers")).stream().map(c -> map(c, "container")).toList();
    }

    static Map<String, Object> podSpec(Map<String, Object> workload) {
        return map(at(workload, "spec", "template", "spec"), "pod spec");
    }

    /** The container's variable of that name (its {value} or {valueFrom}). */
    static Map<String, Object> env(Map<String, Object> container, String name) {
        return list(container.get("env")).stream().map(e -> map(e, "env")).filter(e -> name.equals(e.get("name"))).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no variable " + name + " in container " + container.get("name")));
    }

    static List<String> envNames(Map<String, Object> container) {
        return list(container.get("env")).stream().map(e -> String.valueOf(map(e, "env").get("name"))).toList();
    }

    /** The node at that path of maps, or null when a step is missing. */
    static Object at(Object node, String... path) {
        Object current = node;
        for (String step : path) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(step);
        }
        return current;
    }

    static String string(Object node, String... path) {
        Object value = at(node, path);
        if (value == null) {
            throw new NoSuchElementException("no " + String.join(".", path));
        }
        return String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String what) {
        if (node instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new NoSuchElementException(what + " is not a mapping: " + node);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node) {
        return node instanceof List<?> l ? (List<Object>) l : List.of();
    }
}
