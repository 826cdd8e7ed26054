package io.tocsin.cloud.backup;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A {@code multipart/form-data} body (RFC 7578) the JDK HttpClient streams: the text fields, then the file part
 * read from a stream as it is sent (chunked, no length), so a test can send more than its heap.
 */
final class Multipart {

    static final String BOUNDARY = "tocsin-test-boundary-7d2f9a";
    static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

    private Multipart() {
    }

    static HttpRequest.BodyPublisher body(Map<String, String> fields, String fileName, Supplier<InputStream> file) {
        StringBuilder head = new StringBuilder();
        fields.forEach((name, value) -> head.append("--").append(BOUNDARY).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n").append(value).append("\r\n"));
        if (file != null) {
            head.append("--").append(BOUNDARY).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"file\"; filename=\"").append(fileName).append("\"\r\n")
                    .append("Content-Type: application/octet-stream\r\n\r\n");
        }
        byte[] tail = ((file != null ? "\r\n" : "") + "--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] start = head.toString().getBytes(StandardCharsets.UTF_8);
        return HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(java.util.Collections.enumeration(List.of(
                new ByteArrayInputStream(start), file == null ? InputStream.nullInputStream() : file.get(), new ByteArrayInputStream(tail)))));
    }

    /** {@code size} pseudo-random bytes from {@code seed}, generated as read; every byte goes through {@code digest}. */
    static InputStream generated(long size, long seed, java.security.MessageDigest digest) {
        return new InputStream() {
            final Random random = new Random(seed);
            long left = size;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(length, left);
                byte[] block = new byte[n];
                random.nextBytes(block);
                System.arraycopy(block, 0, buffer, offset, n);
                if (digest != null) {
                    digest.update(block);
                }
                left -= n;
                return n;
            }
        };
    }
}
