package io.tocsin.common.process;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The first {@code limit} bytes of one output stream of a {@link ChildProcess}; what comes after is counted and
 * dropped, so that a chatty child costs no memory. Thread-safe: the stream's reader writes while a caller may
 * already look (a child that left a process holding its pipe keeps it filling after {@link ChildProcess#run}
 * returned).
 *
 * <p>Error contract: none of its methods throws for any input; a negative {@code limit} is an
 * {@link IllegalArgumentException}.
 */
public final class CapturedOutput {

    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private long dropped;

    /** @param limit how many bytes to keep */
    public CapturedOutput(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        this.limit = limit;
    }

    /** Keeps what fits of the first {@code length} bytes of {@code chunk} and counts the rest as dropped. */
    public synchronized void write(byte[] chunk, int length) {
        int kept = Math.max(0, Math.min(limit - bytes.size(), length));
        bytes.write(chunk, 0, kept);
        dropped += length - kept;
    }

    /** The kept bytes. */
    public synchronized byte[] bytes() {
        return bytes.toByteArray();
    }

    /** The kept bytes decoded as UTF-8 (malformed input replaced; a cut may split the last character). */
    public synchronized String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Whether anything was dropped: the kept bytes are not the whole stream. */
    public synchronized boolean truncated() {
        return dropped > 0;
    }

    /** How many bytes were read past the limit and dropped. */
    public synchronized long droppedBytes() {
        return dropped;
    }
}
