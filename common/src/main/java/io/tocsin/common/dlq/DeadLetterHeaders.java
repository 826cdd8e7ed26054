package io.tocsin.common.dlq;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers a dead letter carries on {@code tocsin.dlq}, besides the original record's own headers: where the
 * record came from and why it failed. Written by {@link DeadLetterWriter} and by the rules service's Streams
 * topology alike, so an operator (and {@code POST /api/v1/dlq/replay}) reads one format.
 */
public final class DeadLetterHeaders {

    public static final String SOURCE_TOPIC = "tocsin.dlq.source.topic";
    public static final String SOURCE_PARTITION = "tocsin.dlq.source.partition";
    public static final String SOURCE_OFFSET = "tocsin.dlq.source.offset";
    public static final String ERROR_CLASS = "tocsin.dlq.error.class";
    public static final String ERROR_MESSAGE = "tocsin.dlq.error.message";
    public static final String FAILED_AT = "tocsin.dlq.failed.at";
    /** Who gave up on it: the service and stage, e.g. {@code rules/raw-alarm-decoder}. */
    public static final String STAGE = "tocsin.dlq.stage";

    /** Error messages are cut to this many characters; a header is not a log file. */
    static final int MAX_MESSAGE = 2000;

    private DeadLetterHeaders() {
    }

    /** Adds the dead-letter headers to {@code headers} (a copy of the original record's) and returns it. */
    public static Headers add(Headers headers, String stage, String topic, int partition, long offset, Throwable error) {
        String message = error.getMessage() == null ? "" : error.getMessage();
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "...";
        }
        headers.remove(SOURCE_TOPIC).remove(SOURCE_PARTITION).remove(SOURCE_OFFSET).remove(ERROR_CLASS)
                .remove(ERROR_MESSAGE).remove(FAILED_AT).remove(STAGE);
        headers.add(SOURCE_TOPIC, utf8(topic));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(partition)));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(offset)));
        headers.add(ERROR_CLASS, utf8(error.getClass().getName()));
        headers.add(ERROR_MESSAGE, utf8(message));
        headers.add(FAILED_AT, utf8(Instant.now().toString()));
        headers.add(STAGE, utf8(stage));
        return headers;
    }

    public static Headers copy(Headers original) {
        return new RecordHeaders(original == null ? new org.apache.kafka.common.header.Header[0] : original.toArray());
    }

    /** The value of a header as text, or null when absent. */
    public static String text(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
