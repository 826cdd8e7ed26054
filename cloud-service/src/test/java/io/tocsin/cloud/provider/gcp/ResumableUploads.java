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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * also checks the client's side of the protocol. The bytes each session received are kept for comparison.
 */
final class ResumableUploads implements ResponseDefinitionTransformerV2 {

    static final String NAME = "gcs-resumable";
    private static final Pattern RANGE = Pattern.compile("bytes (\\*|(\\d+)-(\\d+))/(\\*|\\d+)");

    private final AtomicInteger sessions = new AtomicInteger();
    private final Map<String, Session> byId = new ConcurrentHashMap<>();

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
            byId.put(id, new Session(GcpFixture.readTree(request.getBodyAsString())));
            String location = request.getAbsoluteUrl().replaceFirst("\\?.*", "") + "?uploadType=resumable&upload_id=" + id;
            return new ResponseDefinitionBuilder().withStatus(200).withHeader("Location", location).build();
        }
        Session session = uploadId.isPresent() ? byId.get(uploadId.firstValue()) : null;
        String range = request.getHeader("Content-Range");
        Matcher matcher = range == null ? null : RANGE.matcher(range);
        if (session == null || matcher == null || !matcher.matches()) {
            return error(400, "no such session or no Content-Range: " + range);
        }
        byte[] body = request.getBody();
        synchronized (session) {
            if (matcher.group(2) != null) {
                long first = Long.parseLong(matcher.group(2));
                long last = Long.parseLong(matcher.group(3));
                if (first != session.received.size() || body.length != last - first + 1) {
                    return error(400, "chunk " + range + " of " + body.length + " bytes does not continue at " + session.received.size());
                }
                session.received.writeBytes(body);
            } else if (body.length != 0) {
                return error(400, "bytes */... must have no body");
            }
            if (matcher.group(4).equals("*")) {
                ResponseDefinitionBuilder incomplete = new ResponseDefinitionBuilder().withStatus(308);
                return (session.received.size() == 0 ? incomplete
                        : incomplete.withHeader("Range", "bytes=0-" + (session.received.size() - 1))).build();
            }
            if (Long.parseLong(matcher.group(4)) != session.received.size()) {
                return error(400, "total " + matcher.group(4) + " but " + session.received.size() + " bytes received");
            }
            session.finished = true;
            return new ResponseDefinitionBuilder().withStatus(200).withHeader("Content-Type", "application/json; charset=UTF-8")
                    .withBody(object(request, session).toString()).build();
        }
    }

    /** The recorded object resource, describing what this session received. */
    private static ObjectNode object(Request request, Session session) {
        String bucket = request.getUrl().replaceFirst("^/upload/storage/v1/b/([^/]+)/o.*", "$1");
        byte[] data = session.received.toByteArray();
        return object(bucket, session.metadata.get("name").asText(), data, session.metadata.path("contentType").asText("application/octet-stream"));
    }

    /** {@code storage-object.json} (recorded) for an object of this bucket, name and content. */
    static ObjectNode object(String bucket, String name, byte[] data, String contentType) {
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
        object.put("size", Long.toString(data.length));
        object.put("md5Hash", Base64.getEncoder().encodeToString(md5(data)));
        CRC32C crc = new CRC32C();
        crc.update(data);
        object.put("crc32c", Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array()));
        return object;
    }

    private static ResponseDefinition error(int status, String message) {
        return new ResponseDefinitionBuilder().withStatus(status).withHeader("Content-Type", "application/json; charset=UTF-8")
                .withBody("{\"error\": {\"code\": " + status + ", \"message\": \"" + message + "\"}}").build();
    }

    private static byte[] md5(byte[] data) {
        try {
            return MessageDigest.getInstance("MD5").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One upload session: the metadata it was opened with, the bytes received, whether the last chunk came. */
    static final class Session {
        final JsonNode metadata;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        volatile boolean finished;

        Session(JsonNode metadata) {
            this.metadata = metadata;
        }

        synchronized byte[] bytes() {
            return received.toByteArray();
        }
    }
}
