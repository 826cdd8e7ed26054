package io.tocsin.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * A service's generated OpenAPI document (micronaut-openapi's {@code META-INF/swagger/*.yml}) and Swagger UI
 * ({@code META-INF/swagger/views/<service>/swagger-ui/}), for assertions. Every method fails with an
 * {@link AssertionError} naming what is missing or wrong.
 */
public final class OpenApiDocument {

    private OpenApiDocument() {
    }

    /** Loads the document {@code name} (e.g. {@code tocsin-rules-0.1.yml}) from the classpath. */
    public static Map<String, Object> load(String name) {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream("/META-INF/swagger/" + name)) {
            if (in == null) {
                throw new AssertionError("the generated OpenAPI document META-INF/swagger/" + name + " is not on the classpath");
            }
            return new Yaml().load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The node at {@code path} under {@code node}; fails naming the path when a step is missing. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> at(Map<String, Object> node, String... path) {
        Map<String, Object> current = node;
        for (String step : path) {
            if (current == null || !current.containsKey(step)) {
                throw new AssertionError("OpenAPI path " + String.join("/", path) + " has no '" + step + "'");
            }
            current = (Map<String, Object>) current.get(step);
        }
        return current;
    }

    /**
     * What every service's API docs must be, from its class path: the document {@code tocsin-<service>-0.1.yml}
     * describes every body by its fields ({@link OpenApiBodies}), has no path under {@code /swagger} (where the
     * documents and the UI are served, so no API may be there), and the service's Swagger UI page names that
     * document and its own scripts, which are in the jar too. Returns the document.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> assertServiceDocs(String service) {
        String name = "tocsin-" + service + "-0.1.yml";
        Map<String, Object> document = load(name);
        OpenApiBodies.assertEveryBodyHasFields(document);
        Map<String, Object> paths = (Map<String, Object>) document.getOrDefault("paths", Map.of());
        paths.keySet().stream().filter(path -> path.startsWith("/swagger")).findAny().ifPresent(path -> {
            throw new AssertionError(name + " has an API path under the docs' own: " + path);
        });
        String view = "/META-INF/swagger/views/" + service + "/swagger-ui/";
        String page = resource(view + "index.html");
        if (!page.contains("'/swagger/" + name + "'")) {
            throw new AssertionError(view + "index.html does not load /swagger/" + name);
        }
        for (String file : List.of("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js")) {
            if (!page.contains("\"/swagger-ui/res/" + file + "\"")) {
                throw new AssertionError(view + "index.html does not load /swagger-ui/res/" + file);
            }
            resource(view + "res/" + file);
        }
        return document;
    }

    private static String resource(String path) {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new AssertionError(path + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
