package io.tocsin.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** A service's generated OpenAPI document (micronaut-openapi's {@code META-INF/swagger/*.yml}), for schema assertions. */
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
}
