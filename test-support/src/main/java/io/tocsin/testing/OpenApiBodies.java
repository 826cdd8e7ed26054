package io.tocsin.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that an OpenAPI document describes every request and response body by its fields: a reader of the
 * document (or of the Swagger UI drawn from it) must see what to send and what comes back, not opaque bytes.
 *
 * <p>Every operation's request body and every response content (problem+json included) is followed through
 * {@code $ref} (schemas, request bodies, responses), {@code allOf}, {@code oneOf}, {@code anyOf}, array
 * {@code items}, object {@code properties} and map {@code additionalProperties}. A body passes when it ends in
 * an object with properties, a map of described values, or an array of either; a {@code text/*} body may be a
 * plain string. Anywhere inside a body these fail: {@code type: string} with {@code format: byte} or
 * {@code binary}, an empty schema {@code {}} (or one with only a description), an object with neither
 * properties nor typed additional properties, a content entry without a schema, and a {@code $ref} that the
 * document does not define. A response documented without content fails too, unless its status has no body
 * (1xx, 204, 205, 3xx): every Tocsin error is a problem+json body and must say so. Bytes are allowed where the
 * media type says the body is bytes: {@code application/octet-stream} (a downloaded file) and the parts of
 * {@code multipart/form-data} (an uploaded file beside its described fields).
 *
 * <p>Error contract: {@link #problems} never throws for a malformed document, it reports what it cannot follow;
 * {@link #assertEveryBodyHasFields} throws one {@link AssertionError} listing every problem.
 */
public final class OpenApiBodies {

    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    /** Keys that annotate a schema without saying what it holds (an allOf part made only of these is skipped). */
    private static final Set<String> ANNOTATIONS = Set.of("description", "title", "nullable", "example", "examples",
            "readOnly", "writeOnly", "deprecated", "default", "externalDocs");

    private final Map<String, Object> document;
    private final List<String> problems = new ArrayList<>();
    /** The media type being checked is itself bytes (octet-stream, a multipart file part). */
    private boolean bytesAllowed;

    private OpenApiBodies(Map<String, Object> document) {
        this.document = document;
    }

    /** Fails with one message naming every body (operation, media type, place in the schema) that lacks fields. */
    public static void assertEveryBodyHasFields(Map<String, Object> document) {
        List<String> found = problems(document);
        if (!found.isEmpty()) {
            throw new AssertionError("OpenAPI bodies without fields (" + found.size() + "):\n  " + String.join("\n  ", found));
        }
    }

    /** Every body that lacks fields, as "METHOD path where: why"; empty when the document describes them all. */
    public static List<String> problems(Map<String, Object> document) {
        OpenApiBodies check = new OpenApiBodies(document);
        check.run();
        return List.copyOf(check.problems);
    }

    private void run() {
        Object paths = document.get("paths");
        if (!(paths instanceof Map<?, ?> pathMap)) {
            if (paths != null) {
                problems.add("paths is not an object");
            }
            return;
        }
        pathMap.forEach((path, item) -> {
            if (!(item instanceof Map<?, ?> operations)) {
                return;
            }
            for (String method : METHODS) {
                if (operations.get(method) instanceof Map<?, ?> operation) {
                    operation(method.toUpperCase() + " " + path, operation);
                }
            }
        });
    }

    private void operation(String name, Map<?, ?> operation) {
        if (operation.get("requestBody") != null) {
            Map<?, ?> body = follow(operation.get("requestBody"), name + " request body");
            if (body != null) {
                content(name + " request", body.get("content"));
            }
        }
        if (operation.get("responses") instanceof Map<?, ?> responses) {
            responses.forEach((status, response) -> {
                Map<?, ?> resolved = follow(response, name + " " + status);
                if (resolved == null) {
                    return;
                }
                if (resolved.get("content") == null && hasBody(String.valueOf(status))) {
                    problems.add(name + " " + status + ": no content, but this answer has a body");
                } else {
                    content(name + " " + status, resolved.get("content"));
                }
            });
        }
    }

    /**
     * Whether an answer with this status carries a body: every 2xx but 204 and 205, every 4xx and 5xx (Tocsin
     * answers errors with problem+json, the server's own 413 and 415 included) and {@code default}; 1xx and 3xx do not.
     */
    private static boolean hasBody(String status) {
        return !(status.startsWith("1") || status.startsWith("3") || status.equals("204") || status.equals("205"));
    }

    private void content(String where, Object content) {
        if (!(content instanceof Map<?, ?> mediaTypes)) {
            return;
        }
        mediaTypes.forEach((mediaType, entry) -> {
            String at = where + " (" + mediaType + ")";
            Object schema = entry instanceof Map<?, ?> media ? media.get("schema") : null;
            if (schema == null) {
                problems.add(at + ": no schema");
                return;
            }
            bytesAllowed = List.of("application/octet-stream", "multipart/form-data").contains(String.valueOf(mediaType));
            boolean bare = String.valueOf(mediaType).startsWith("text/") || String.valueOf(mediaType).equals("application/octet-stream");
            schema(at, schema, bare, true, new HashSet<>());
            bytesAllowed = false;
        });
    }

    /**
     * Checks one schema. {@code body} is true for the schema a body consists of (and the alternatives, parts and
     * items it is made of), where a scalar is allowed only for {@code text/*}; {@code seen} stops at a
     * {@code $ref} already being checked on this branch, as a recursive type would never end.
     */
    private void schema(String at, Object node, boolean text, boolean body, Set<String> seen) {
        if (!(node instanceof Map<?, ?> schema)) {
            problems.add(at + ": schema is not an object");
            return;
        }
        if (schema.get("$ref") instanceof String ref) {
            if (!seen.add(ref)) {
                return;
            }
            Map<?, ?> target = resolve(ref);
            if (target == null) {
                problems.add(at + ": $ref " + ref + " is not defined in the document");
            } else {
                schema(at + " -> " + ref.substring(ref.lastIndexOf('/') + 1), target, text, body, seen);
            }
            seen.remove(ref);
            return;
        }
        boolean composed = false;
        for (String combiner : List.of("allOf", "oneOf", "anyOf")) {
            if (schema.get(combiner) instanceof List<?> parts) {
                for (int i = 0; i < parts.size(); i++) {
                    if (combiner.equals("allOf") && parts.get(i) instanceof Map<?, ?> part && ANNOTATIONS.containsAll(part.keySet())) {
                        continue; // e.g. allOf: [$ref, {description: ...}], micronaut-openapi's way to describe a ref
                    }
                    composed = true;
                    schema(at + " " + combiner + "[" + i + "]", parts.get(i), text, body, seen);
                }
            }
        }
        Object type = schema.get("type");
        if ("array".equals(type) || schema.containsKey("items")) {
            if (schema.get("items") == null) {
                problems.add(at + ": array without items");
            } else {
                schema(at + "[]", schema.get("items"), text, body, seen);
            }
            return;
        }
        if ("object".equals(type) || schema.containsKey("properties") || schema.containsKey("additionalProperties")) {
            object(at, schema, text, composed, seen);
            return;
        }
        if (type == null) {
            if (!composed) {
                problems.add(at + ": empty schema (no type, no properties)");
            }
            return;
        }
        Object format = schema.get("format");
        if ("string".equals(type) && "binary".equals(format) && bytesAllowed) {
            return;
        }
        if ("string".equals(type) && ("byte".equals(format) || "binary".equals(format))) {
            problems.add(at + ": opaque bytes (type string, format " + format + ")");
        } else if (body && !text) {
            problems.add(at + ": a bare " + type + " where a body needs fields");
        }
    }

    /** An object: its properties, else its map values, else the allOf/oneOf parts already checked ({@code composed}). */
    private void object(String at, Map<?, ?> schema, boolean text, boolean composed, Set<String> seen) {
        if (schema.get("properties") instanceof Map<?, ?> properties && !properties.isEmpty()) {
            properties.forEach((name, property) -> schema(at + "." + name, property, text, false, seen));
            return;
        }
        Object values = schema.get("additionalProperties");
        if (values instanceof Map<?, ?> valueSchema && !valueSchema.isEmpty()) {
            schema(at + "{}", valueSchema, text, false, seen); // a map: its keys are data, its values have a schema
            return;
        }
        if (!composed) {
            problems.add(at + ": object without properties");
        }
    }

    /** A response or request body, following its {@code $ref}; null (and a problem) when it cannot be followed. */
    private Map<?, ?> follow(Object node, String at) {
        if (node instanceof Map<?, ?> map && map.get("$ref") instanceof String ref) {
            Map<?, ?> target = resolve(ref);
            if (target == null) {
                problems.add(at + ": $ref " + ref + " is not defined in the document");
            }
            return target;
        }
        if (node instanceof Map<?, ?> map) {
            return map;
        }
        problems.add(at + ": is not an object");
        return null;
    }

    /** A local reference {@code #/a/b/c}; null when it is not local or names nothing. */
    private Map<?, ?> resolve(String ref) {
        if (!ref.startsWith("#/")) {
            return null;
        }
        Object current = document;
        for (String step : ref.substring(2).split("/")) {
            String key = step.replace("~1", "/").replace("~0", "~");
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(key)) {
                return null;
            }
            current = map.get(key);
        }
        return current instanceof Map<?, ?> map ? map : null;
    }
}
