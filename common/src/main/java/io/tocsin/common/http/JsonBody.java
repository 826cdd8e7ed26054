package io.tocsin.common.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.schema.wire.FieldError;
import io.tocsin.schema.wire.InvalidRecordException;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Reading a JSON request body by hand, so that every problem is reported at once, each naming its field (the
 * integrations and silences APIs). Error contract: a body that is not one JSON object throws
 * {@link InvalidRecordException} (400 problem+json); field problems are added to the caller's list.
 */
public final class JsonBody {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBody() {
    }

    /**
     * The body as a JSON object.
     *
     * @param shape what the object should hold, for the error message (e.g. "name, service and config")
     */
    public static JsonNode readObject(byte[] body, String shape) {
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException("", "is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRecordException("", "could not be read");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRecordException("", "must be a JSON object with " + shape);
        }
        return root;
    }

    /** Adds an error for every field of {@code root} not in {@code fields}: a typo must not be ignored silently. */
    public static void rejectUnknownFields(JsonNode root, Set<String> fields, String noun, List<FieldError> errors) {
        String known = String.join(", ", fields.stream().sorted().toList());
        root.fieldNames().forEachRemaining(field -> {
            if (!fields.contains(field)) {
                errors.add(new FieldError(field, "is not a field of " + noun + " (fields: " + known + ")"));
            }
        });
    }

    /** The string {@code field}, or null when absent (an error when {@code required}) or not a string (an error). */
    public static String text(JsonNode root, String field, List<FieldError> errors, boolean required) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        return node.asText();
    }
}
