package io.tocsin.standalone.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The top-level {@code docker-compose.yml} as the deployment tests read it: its services, their images, profiles
 * and environment (YAML merge keys resolved, as Compose resolves them), and Compose's variable interpolation
 * with no variable set (what a run without {@code .env} gets: each {@code ${VAR:-default}} is its default).
 *
 * <p>Error contract: {@link #load()} fails the calling test (AssertJ) when the file is missing or is not a
 * mapping of services; accessors fail it when a service has no such part. Nothing here starts Compose.
 */
final class ComposeFile {

    /** The repository's top level: tests run in the {@code standalone} module's directory. */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path FILE = ROOT.resolve("docker-compose.yml");
    static final Path ENV_EXAMPLE = ROOT.resolve(".env.example");

    /** The image repository of Tocsin's own services: {@code tocsin/<service>:<tag>}. */
    private static final Pattern TOCSIN_IMAGE = Pattern.compile("tocsin/([a-z]+):.+");
    /** {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME-default}}, {@code ${NAME:?message}}. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    private final String text;
    private final Map<String, Map<String, Object>> services;

    private ComposeFile(String text, Map<String, Map<String, Object>> services) {
        this.text = text;
        this.services = services;
    }

    static ComposeFile load() throws IOException {
        assertThat(FILE).as("docker-compose.yml at the repository's top level").isRegularFile();
        String text = Files.readString(FILE);
        Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        assertThat(document).as("docker-compose.yml is a mapping").isInstanceOf(Map.class);
        Object services = ((Map<?, ?>) document).get("services");
        assertThat(services).as("docker-compose.yml has a services mapping").isInstanceOf(Map.class);
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        ((Map<?, ?>) services).forEach((name, service) -> {
            assertThat(service).as("service %s is a mapping", name).isInstanceOf(Map.class);
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<?, ?>) service).forEach((key, value) -> copy.put(String.valueOf(key), value));
            byName.put(String.valueOf(name), copy);
        });
        return new ComposeFile(text, byName);
    }

    /** The file as written (for checks on its variables). */
    String text() {
        return text;
    }

    Set<String> serviceNames() {
        return services.keySet();
    }

    /** Compose service name to Tocsin service ({@code collector}, ...) for every service on a {@code tocsin/*} image. */
    Map<String, String> tocsinServices() {
        Map<String, String> result = new TreeMap<>();
        services.forEach((name, service) -> {
            Matcher image = TOCSIN_IMAGE.matcher(String.valueOf(service.get("image")));
            if (image.matches()) {
                result.put(name, image.group(1));
            }
        });
        return result;
    }

    /** The profiles a service belongs to; empty for a service that always starts. */
    List<String> profiles(String service) {
        Object profiles = part(service, "profiles", false);
        return profiles == null ? List.of() : ((List<?>) profiles).stream().map(String::valueOf).toList();
    }

    /** A service's environment as written (mapping form; values as text, variables not interpolated). */
    Map<String, String> environment(String service) {
        Object environment = part(service, "environment", true);
        assertThat(environment).as("the environment of %s is a mapping (NAME: value), not a list", service).isInstanceOf(Map.class);
        Map<String, String> result = new TreeMap<>();
        ((Map<?, ?>) environment).forEach((name, value) -> result.put(String.valueOf(name), value == null ? "" : String.valueOf(value)));
        return result;
    }

    /** The names of the variables the file interpolates ({@code ${NAME...}}), in order of appearance. */
    Set<String> variables() {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = VARIABLE.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /**
     * The value Compose gives {@code value} when no variable is set: {@code ${NAME:-default}} and
     * {@code ${NAME-default}} become the default, {@code ${NAME}} the empty string; {@code $$} is a literal {@code $}.
     */
    static String interpolated(String value) {
        Matcher matcher = VARIABLE.matcher(value.replace("$$", "\u0000"));
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String operator = matcher.group(2);
            String replacement = operator != null && operator.endsWith("-") ? matcher.group(3) : "";
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString().replace('\u0000', '$');
    }

    private Object part(String service, String key, boolean required) {
        Map<String, Object> definition = services.get(service);
        assertThat(definition).as("service %s in docker-compose.yml", service).isNotNull();
        if (required) {
            assertThat(definition).as("service %s has %s", service, key).containsKey(key);
        }
        return definition.get(key);
    }
}
