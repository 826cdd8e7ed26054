package io.tocsin.collector.ingest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.schema.wire.InvalidRecordException;
import java.io.IOException;

/**
 * Reading of ingest request bodies, the same for every format: one JSON document (no trailing data), and a bound
 * on how many records one request may carry. Errors are {@link InvalidRecordException}s, answered 400
 * problem+json naming the field ({@code ""} for the body itself).
 */
public final class IngestBodies {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private IngestBodies() {
    }

    /** Parses {@code body} as one JSON document. */
    public static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidRecordException("", "is empty; expected a JSON object or array");
        }
        try {
            return JSON.readTree(body);
        } catch (JsonParseException e) {
            var location = e.getLocation();
            throw new InvalidRecordException("", "is not valid JSON at line " + location.getLineNr() + ", column "
                    + location.getColumnNr() + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException("", "is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRecordException("", "could not be read: " + e.getMessage());
        }
    }

    /** Refuses more than {@code max} records in one request; {@code field} names the array, {@code what} its items. */
    public static void requireAtMost(String field, int count, int max, String what) {
        if (count > max) {
            throw new InvalidRecordException(field, "must hold at most " + max + " " + what + ", has " + count);
        }
    }
}
