package io.tocsin.dispatcher.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON of every request body a channel sends. A private mapper: the application's serialisation is Micronaut
 * Serde, and what a service receives must not change with its settings.
 *
 * <p>Error contract: the bodies are records, maps, lists and trees of strings, numbers and booleans, which always
 * serialise; a failure is a bug and is thrown as {@link IllegalStateException} (the delivery engine records it as
 * a permanent failure naming only the exception's class), never turned into a delivery result of its own.
 */
public final class JsonBodies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonBodies() {
    }

    /** {@code body} as UTF-8 JSON. */
    public static byte[] bytes(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a body of plain values always serialises: " + e.getClass().getSimpleName(), e);
        }
    }

    /** {@code value} as JSON text (for a service that takes JSON inside a string field). */
    public static String text(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a body of plain values always serialises: " + e.getClass().getSimpleName(), e);
        }
    }

    /** An empty JSON object to build a body in. */
    public static ObjectNode object() {
        return JSON.createObjectNode();
    }
}
