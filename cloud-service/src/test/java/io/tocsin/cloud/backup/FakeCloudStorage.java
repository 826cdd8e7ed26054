package io.tocsin.cloud.backup;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google Cloud Storage's JSON API as far as backups use it, on a JDK HTTP server: the token endpoint (the recorded
 * {@code gcp/oauth2-token.json}), resumable uploads (https://cloud.google.com/storage/docs/performing-resumable-uploads:
 * POST opens a session, each PUT must continue where it stands, {@code bytes a-b/*} answered 308, the one naming the
 * total 200 with the object), {@code objects.list}, {@code objects.get} and media download. Objects become visible
 * only once their session finished. With {@code keepBytes} off only a SHA-256 and the size are kept, so uploads
 * larger than this JVM's heap can be checked (WireMock keeps every body). {@link #failUploads} makes every chunk
 * answer that status with Google's error body.
 */
public final class FakeCloudStorage implements AutoCloseable {

    static final Pattern RANGE = Pattern.compile("bytes (?:(\\d+)-(\\d+)|\\*)/(\\*|\\d+)");

    final HttpServer server;
    private final boolean keepBytes;
    private final AtomicInteger sessions = new AtomicInteger();
    private final Map<String, Session> open = new ConcurrentHashMap<>();
    /** Finished objects by bucket + "/" + name. */
    public final Map<String, Stored> objects = new ConcurrentSkipListMap<>();
    public volatile int failUploads;
    /** Chunks received by sessions that never finished. */
    final AtomicInteger abandonedChunks = new AtomicInteger();

    public record Stored(String bucket, String name, long size, String sha256, byte[] bytes, String contentType) {
    }

    private static final class Session {
        final String bucket;
        final String name;
        final String contentType;
        final MessageDigest digest = sha256();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long received;

        Session(String bucket, String name, String contentType) {
            this.bucket = bucket;
            this.name = name;
            this.contentType = contentType;
        }
    }

    public FakeCloudStorage(boolean keepBytes) throws IOException {
        this.keepBytes = keepBytes;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", exchange -> answer(exchange, 200, recorded("oauth2-token.json"), "application/json", Map.of()));
        server.createContext("/upload/storage/v1/b/", this::upload);
        server.createContext("/storage/v1/b/", this::read);
        server.createContext("/download/storage/v1/b/", this::media);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void upload(HttpExchange exchange) throws IOException {
        String[] path = exchange.getRequestURI().getPath().split("/"); // "", upload, storage, v1, b, {bucket}, o
        String bucket = path[5];
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        if (exchange.getRequestMethod().equals("POST")) {
            String metadata = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String id = "s" + sessions.incrementAndGet();
            open.put(id, new Session(bucket, field(metadata, "name"), field(metadata, "contentType")));
            answer(exchange, 200, "", null, Map.of("Location", baseUrl() + "/upload/storage/v1/b/" + bucket + "/o?upload_id=" + id));
            return;
        }
        Session session = open.get(query.get("upload_id"));
        if (failUploads != 0) {
            exchange.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
            abandonedChunks.incrementAndGet();
            answer(exchange, failUploads, "{\"error\": {\"code\": " + failUploads + ", \"message\": \"The caller does not have "
                    + "storage.objects.create access to the Google Cloud Storage object.\", \"errors\": [{\"reason\": \"forbidden\", "
                    + "\"message\": \"denied\"}]}}", "application/json; charset=UTF-8", Map.of());
            return;
        }
        Matcher range = RANGE.matcher(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Range")));
        if (session == null || !range.matches() || (range.group(1) != null && Long.parseLong(range.group(1)) != session.received)) {
            answer(exchange, 400, "{\"error\": {\"code\": 400, \"message\": \"bad Content-Range\"}}", "application/json", Map.of());
            return;
        }
        try (InputStream body = exchange.getRequestBody()) {
            byte[] buffer = new byte[64 * 1024];
            for (int read; (read = body.read(buffer)) >= 0; ) {
                session.digest.update(buffer, 0, read);
                if (keepBytes) {
                    session.bytes.write(buffer, 0, read);
                }
                session.received += read;
            }
        }
        if (range.group(3).equals("*")) {
            answer(exchange, 308, "", null, session.received == 0 ? Map.of() : Map.of("Range", "bytes=0-" + (session.received - 1)));
            return;
        }
        open.remove(query.get("upload_id"));
        Stored stored = new Stored(session.bucket, session.name, session.received,
                java.util.HexFormat.of().formatHex(session.digest.digest()), keepBytes ? session.bytes.toByteArray() : null,
                session.contentType);
        objects.put(session.bucket + "/" + session.name, stored);
        answer(exchange, 200, object(stored), "application/json", Map.of());
    }

    private void read(HttpExchange exchange) throws IOException {
        String rest = exchange.getRequestURI().getRawPath().substring("/storage/v1/b/".length());
        String bucket = rest.substring(0, rest.indexOf('/'));
        String after = rest.substring(bucket.length() + "/o".length());
        if (after.isEmpty()) {
            String prefix = query(exchange.getRequestURI().getRawQuery()).getOrDefault("prefix", "");
            List<String> items = objects.values().stream().filter(o -> o.bucket.equals(bucket) && o.name.startsWith(prefix))
                    .map(FakeCloudStorage::object).toList();
            answer(exchange, 200, "{\"kind\": \"storage#objects\", \"items\": [" + String.join(",", items) + "]}", "application/json", Map.of());
            return;
        }
        Stored stored = objects.get(bucket + "/" + URLDecoder.decode(after.substring(1), StandardCharsets.UTF_8));
        if (stored == null) {
            answer(exchange, 404, "{\"error\": {\"code\": 404, \"message\": \"No such object\"}}", "application/json", Map.of());
        } else {
            answer(exchange, 200, object(stored), "application/json", Map.of());
        }
    }

    private void media(HttpExchange exchange) throws IOException {
        String rest = exchange.getRequestURI().getRawPath().substring("/download/storage/v1/b/".length());
        String bucket = rest.substring(0, rest.indexOf('/'));
        String name = URLDecoder.decode(rest.substring(bucket.length() + "/o/".length()), StandardCharsets.UTF_8);
        Stored stored = objects.get(bucket + "/" + name);
        if (stored == null || stored.bytes == null) {
            answer(exchange, 404, "{\"error\": {\"code\": 404, \"message\": \"No such object\"}}", "application/json", Map.of());
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
        exchange.getResponseHeaders().add("x-goog-generation", "1");
        exchange.sendResponseHeaders(200, stored.bytes.length == 0 ? -1 : stored.bytes.length);
        exchange.getResponseBody().write(stored.bytes);
        exchange.close();
    }

    private static String object(Stored stored) {
        return "{\"kind\": \"storage#object\", \"id\": \"" + stored.bucket + "/" + stored.name + "/1\", \"name\": \"" + stored.name
                + "\", \"bucket\": \"" + stored.bucket + "\", \"generation\": \"1\", \"metageneration\": \"1\", \"contentType\": \""
                + stored.contentType + "\", \"size\": \"" + stored.size + "\", \"etag\": \"E" + stored.sha256.substring(0, 12)
                + "\", \"timeCreated\": \"" + Instant.parse("2026-11-20T10:00:00Z") + "\", \"updated\": \"2026-11-20T10:00:00.000Z\"}";
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "";
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> fields = new java.util.HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    fields.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return fields;
    }

    private static void answer(HttpExchange exchange, int status, String body, String type, Map<String, String> headers) throws IOException {
        headers.forEach(exchange.getResponseHeaders()::add);
        if (type != null) {
            exchange.getResponseHeaders().add("Content-Type", type);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    static String recorded(String name) {
        try (InputStream in = FakeCloudStorage.class.getResourceAsStream("/gcp/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
