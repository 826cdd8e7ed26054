package io.tocsin.cloud.provider.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Cloud Storage's resumable upload protocol in WireMock, as documented at
 * https://cloud.google.com/storage/docs/performing-resumable-uploads: {@code POST ...?uploadType=resumable} with
 * the object's metadata opens a session (200, its URI in {@code Location}); each {@code PUT} to it carries
 * {@code Content-Range: bytes a-b/*} and is answered 308 with {@code Range: bytes=0-b} (what is persisted so far),
 * and the one naming the total (after the range, or after {@code *} when no bytes are left) is answered 200 with the object
 * resource (the recorded {@code storage-object.json} with this object's name, size, MD5 and CRC32C). A chunk that
 * does not start where the session stands, or whose length is not its range's, is refused with 400, so the test
 * also checks the client's side of the protocol. The bytes each session received are kept for comparison (or only
 * their digests, for uploads larger than the heap); a finished session's object is added to {@link #objects}, which
 * {@link StoredObjects} serves. {@link #failUploads} makes every chunk answer that status with Google's error body.
 */
final class ResumableUploads implements ResponseDefinitionTransformerV2 {

    static final String NAME = "gcs-resumable";
    private static final Pattern RANGE = Pattern.compile("bytes (\\*|(\\d+)-(\\d+))/(\\*|\\d+)");

    private final AtomicInteger sessions = new AtomicInteger();
    private final Map<String, Session> byId = new ConcurrentHashMap<>();
    private final boolean keepBytes;
    /** Finished objects by bucket + "/" + name. */
    final Map<String, GcpFixture.Stored> objects = new ConcurrentSkipListMap<>();
    /** Non-zero: every chunk is refused with this status (the session stays open, nothing is stored). */
    volatile int failUploads;

    ResumableUploads(boolean keepBytes) {
        this.keepBytes = keepBytes;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    /** The one session a test opened (its received bytes, whether it was finished). */
    Session only() {
        if (byId.size() != 1) {
            throw new AssertionError("expected one upload session, found " + byId.size());
        }
        return byId.values().iterator().next();
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        Request request = event.getRequest();
        QueryParameter uploadId = request.queryParameter("upload_id");
        if (request.getMethod().getName().equals("POST")) {
            String id = "session-" + sessions.incrementAndGet();
            byId.put(id, new Session(GcpFixture.readTree(request.getBodyAsString()), keepBytes));
            String location = request.getAbsoluteUrl().replaceFirst("\\?.*", "") + "?uploadType=resumable&upload_id=" + id;
            return new ResponseDefinitionBuilder().withStatus(200).withHeader("Location", location).build();
        }
        Session session = uploadId.isPresent() ? byId.get(uploadId.firstValue()) : null;
        String range = request.getHeader("Content-Range");
        Matcher matcher = range == null ? null : RANGE.matcher(range);
        if (session == null || matcher == null || !matcher.matches()) {
            return error(400, "no such session or no Content-Range: " + range);
        }
        if (failUploads != 0) { // Google's answer to a caller without storage.objects.create (or its outage)
            return error(failUploads, "The caller does not have storage.objects.create access to the Google Cloud Storage object.");
        }
        byte[] body = request.getBody();
        synchronized (session) {
            if (matcher.group(2) != null) {
                long first = Long.parseLong(matcher.group(2));
                long last = Long.parseLong(matcher.group(3));
                if (first != session.received || body.length != last - first + 1) {
                    return error(400, "chunk " + range + " of " + body.length + " bytes does not continue at " + session.received);
                }
                session.add(body);
            } else if (body.length != 0) {
                return error(400, "bytes */... must have no body");
            }
            if (matcher.group(4).equals("*")) {
                ResponseDefinitionBuilder incomplete = new ResponseDefinitionBuilder().withStatus(308);
                return (session.received == 0 ? incomplete : incomplete.withHeader("Range", "bytes=0-" + (session.received - 1))).build();
            }
            if (Long.parseLong(matcher.group(4)) != session.received) {
                return error(400, "total " + matcher.group(4) + " but " + session.received + " bytes received");
            }
            session.finished = true;
            String bucket = request.getUrl().replaceFirst("^/upload/storage/v1/b/([^/]+)/o.*", "$1");
            String name = session.metadata.get("name").asText();
            String contentType = session.metadata.path("contentType").asText("application/octet-stream");
            ObjectNode resource = object(bucket, name, session.received, session.md5.digest(), (int) session.crc.getValue(), contentType);
            objects.put(bucket + "/" + name, new GcpFixture.Stored(bucket, name, session.received,
                    HexFormat.of().formatHex(session.sha256.digest()), keepBytes ? session.bytes() : null, contentType, resource.toString()));
            return new ResponseDefinitionBuilder().withStatus(200).withHeader("Content-Type", "application/json; charset=UTF-8")
                    .withBody(resource.toString()).build();
        }
    }

    /** {@code storage-object.json} (recorded) for an object of this bucket, name and content. */
    static ObjectNode object(String bucket, String name, byte[] data, String contentType) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return object(bucket, name, data.length, digest("MD5").digest(data), (int) crc.getValue(), contentType);
    }

    private static ObjectNode object(String bucket, String name, long size, byte[] md5, int crc32c, String contentType) {
        ObjectNode object = (ObjectNode) GcpFixture.recordedJson("storage-object.json");
        String generation = object.get("generation").asText();
        String encoded = name.replace("/", "%2F");
        object.put("id", bucket + "/" + name + "/" + generation);
        object.put("selfLink", "https://www.googleapis.com/storage/v1/b/" + bucket + "/o/" + encoded);
        object.put("mediaLink", "https://www.googleapis.com/download/storage/v1/b/" + bucket + "/o/" + encoded
                + "?generation=" + generation + "&alt=media");
        object.put("name", name);
        object.put("bucket", bucket);
        object.put("contentType", contentType);
        object.put("size", Long.toString(size));
        object.put("md5Hash", Base64.getEncoder().encodeToString(md5));
        object.put("crc32c", Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt(crc32c).array()));
        return object;
    }

    /** Google's error shape (https://cloud.google.com/storage/docs/json_api/v1/status-codes). */
    static ResponseDefinition error(int status, String message) {
        return new ResponseDefinitionBuilder().withStatus(status).withHeader("Content-Type", "application/json; charset=UTF-8")
                .withBody("{\"error\": {\"code\": " + status + ", \"message\": \"" + message + "\", \"errors\": [{\"message\": \""
                        + message + "\"}]}}").build();
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One upload session: the metadata it was opened with, how many bytes it received and their digests (the bytes
     * themselves unless only digests are kept), whether the last chunk came.
     */
    static final class Session {
        final JsonNode metadata;
        final MessageDigest md5 = digest("MD5");
        final MessageDigest sha256 = digest("SHA-256");
        final CRC32C crc = new CRC32C();
        private final ByteArrayOutputStream kept;
        long received;
        volatile boolean finished;

        Session(JsonNode metadata, boolean keepBytes) {
            this.metadata = metadata;
            this.kept = keepBytes ? new ByteArrayOutputStream() : null;
        }

        synchronized void add(byte[] chunk) {
            md5.update(chunk);
            sha256.update(chunk);
            crc.update(chunk);
            if (kept != null) {
                kept.writeBytes(chunk);
            }
            received += chunk.length;
        }

        synchronized byte[] bytes() {
            if (kept == null) {
                throw new IllegalStateException("this fixture keeps only digests");
            }
            return kept.toByteArray();
        }
    }
}
