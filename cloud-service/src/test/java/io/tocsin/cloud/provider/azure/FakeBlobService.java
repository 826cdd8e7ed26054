package io.tocsin.cloud.provider.azure;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small Azure Blob service over HTTPS, path-style ({@code https://127.0.0.1:port/{account}/{container}/{blob}}),
 * implementing what the backup adapter uses as the REST reference describes it: Put Block (checks Content-Length and
 * Content-MD5, keeps the block uncommitted), Put Block List (commits the named blocks in order; an unknown id is
 * InvalidBlockList), List Blobs (committed blobs only, by name, a page of {@link #PAGE} with NextMarker), Get Blob
 * (with Range), error bodies as Azure writes them; plus the Entra ID token endpoint. Every request must carry the
 * token (401 otherwise). Requests are journaled. A {@code sink} container keeps digests, not bytes, for large
 * uploads. Docs: https://learn.microsoft.com/rest/api/storageservices/blob-service-rest-api
 */
final class FakeBlobService implements AutoCloseable {

    static final int PAGE = 2;
    private static final Pattern LATEST = Pattern.compile("<(?:Latest|Uncommitted|Committed)>([^<]*)</");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    /** One request as received. {@code body} is kept when under 64 KiB. */
    record Call(String method, String path, Map<String, String> query, Map<String, String> headers, long length, String md5, String body) {
    }

    /** A committed blob; {@code received} is the MD5 of the bytes the service got for it, in commit order. */
    record Blob(byte[] data, long size, String received, String contentMd5, String contentType, String etag, String lastModified) {
    }

    private record Block(byte[] data, long size) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    /** Fail the n-th Put Block (1-based) with 503 ServerBusy; 0: never. */
    final AtomicInteger failPutBlock = new AtomicInteger();
    /** Containers whose requests are refused with 403 AuthorizationPermissionMismatch. */
    final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final Map<String, Map<String, Blob>> containers = new ConcurrentHashMap<>();
    private final Set<String> sinks = ConcurrentHashMap.newKeySet();
    private final Map<String, Map<String, Block>> uncommitted = new ConcurrentHashMap<>();
    /** Sink containers: the running MD5 of a blob's blocks in arrival order (they are committed in that order). */
    private final Map<String, MessageDigest> sinkDigests = new ConcurrentHashMap<>();
    private final AtomicInteger putBlocks = new AtomicInteger();
    private final AtomicInteger etags = new AtomicInteger(0x1000);
    private final HttpsServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    FakeBlobService() throws IOException {
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(AzureTestTls.server()));
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String base() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    void createContainer(String name, boolean sink) {
        containers.put(name, new ConcurrentHashMap<>());
        if (sink) {
            sinks.add(name);
        }
    }

    /** The committed blobs of {@code container}, by name. */
    Map<String, Blob> blobs(String container) {
        return new TreeMap<>(containers.get(container));
    }

    /** Blocks staged and not committed, by blob. */
    int uncommittedBlocks() {
        return uncommitted.values().stream().mapToInt(Map::size).sum();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.getFirst()));
            String[] parts = path.substring(1).split("/", 3);
            boolean sink = parts.length > 1 && sinks.contains(decode(parts[1]));
            MessageDigest md5 = md5();
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            // A sink keeps no bytes: the running MD5 of a blob's blocks in arrival order, which its commit must follow.
            MessageDigest running = sink && parts.length > 2 && "block".equals(query.get("comp"))
                    ? sinkDigests.computeIfAbsent(decode(parts[1]) + "/" + decode(parts[2]), k -> md5()) : null;
            long length = read(exchange.getRequestBody(), md5, running, running != null ? null : kept);
            String bodyMd5 = Base64.getEncoder().encodeToString(md5.digest());
            calls.add(new Call(exchange.getRequestMethod(), path, query, headers, length, bodyMd5,
                    length < 65_536 ? kept.toString(StandardCharsets.UTF_8) : null));
            if (path.endsWith("/oauth2/v2.0/token") && "POST".equals(exchange.getRequestMethod())) {
                send(exchange, 200, "application/json; charset=utf-8", AzureFixtures.read("entra-token.json").getBytes(StandardCharsets.UTF_8), Map.of());
                return;
            }
            if (!("Bearer " + AzureFixtures.TOKEN).equals(headers.get("authorization"))) {
                error(exchange, 401, "NoAuthenticationInformation", "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.");
                return;
            }
            if (parts.length < 2 || !containers.containsKey(decode(parts[1]))) {
                send(exchange, 404, "application/xml", AzureFixtures.read("blob-error-ContainerNotFound.xml").getBytes(StandardCharsets.UTF_8),
                        Map.of("x-ms-error-code", "ContainerNotFound"));
                return;
            }
            String container = decode(parts[1]);
            if (denied.contains(container)) {
                send(exchange, 403, "application/xml", AzureFixtures.read("blob-error-AuthorizationPermissionMismatch.xml").getBytes(StandardCharsets.UTF_8),
                        Map.of("x-ms-error-code", "AuthorizationPermissionMismatch"));
                return;
            }
            String blob = parts.length > 2 ? decode(parts[2]) : null;
            String method = exchange.getRequestMethod();
            if ("PUT".equals(method) && "block".equals(query.get("comp")) && blob != null) {
                putBlock(exchange, container, blob, query.get("blockid"), headers, length, bodyMd5, kept.toByteArray());
            } else if ("PUT".equals(method) && "blocklist".equals(query.get("comp")) && blob != null) {
                putBlockList(exchange, container, blob, headers, kept.toString(StandardCharsets.UTF_8));
            } else if ("GET".equals(method) && "list".equals(query.get("comp")) && "container".equals(query.get("restype"))) {
                list(exchange, container, query);
            } else if ("GET".equals(method) && blob != null && query.get("comp") == null) {
                get(exchange, container, blob, headers);
            } else {
                error(exchange, 400, "UnsupportedHttpVerb", "The fake does not implement " + method + " " + path);
            }
        }
    }

    private void putBlock(HttpExchange exchange, String container, String blob, String id, Map<String, String> headers, long length,
                          String bodyMd5, byte[] data) throws IOException {
        if (putBlocks.incrementAndGet() == failPutBlock.get()) {
            error(exchange, 503, "ServerBusy", "The server is currently unable to receive requests. Please retry your request.");
            return;
        }
        if (id == null || !String.valueOf(length).equals(headers.get("content-length"))) {
            error(exchange, 400, "InvalidHeaderValue", "Content-Length or blockid missing or wrong.");
            return;
        }
        if (headers.containsKey("content-md5") && !headers.get("content-md5").equals(bodyMd5)) {
            error(exchange, 400, "Md5Mismatch", "The MD5 value specified in the request did not match with the MD5 value calculated by the server.");
            return;
        }
        uncommitted.computeIfAbsent(container + "/" + blob, k -> new LinkedHashMap<>())
                .put(id, new Block(sinks.contains(container) ? null : data, length));
        send(exchange, 201, null, new byte[0], Map.of("Content-MD5", bodyMd5, "x-ms-request-server-encrypted", "true"));
    }

    private void putBlockList(HttpExchange exchange, String container, String blob, Map<String, String> headers, String xml) throws IOException {
        String key = container + "/" + blob;
        Map<String, Block> staged = uncommitted.getOrDefault(key, Map.of());
        List<String> ids = new ArrayList<>();
        Matcher m = LATEST.matcher(xml);
        while (m.find()) {
            ids.add(m.group(1));
        }
        if (!ids.stream().allMatch(staged::containsKey) || (sinks.contains(container) && !ids.equals(new ArrayList<>(staged.keySet())))) {
            error(exchange, 400, "InvalidBlockList", "The specified block list is invalid.");
            return;
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        long size = 0;
        for (String id : ids) {
            Block block = staged.get(id);
            if (!sinks.contains(container)) {
                content.writeBytes(block.data());
            }
            size += block.size();
        }
        uncommitted.remove(key); // Put Block List discards the blob's other uncommitted blocks
        MessageDigest running = sinkDigests.remove(key);
        String received = Base64.getEncoder().encodeToString(running != null ? running.digest() : md5().digest(content.toByteArray()));
        String etag = "\"0x8DC" + Integer.toHexString(etags.incrementAndGet()).toUpperCase(Locale.ROOT) + "\"";
        String modified = HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC).withNano(0));
        containers.get(container).put(blob, new Blob(sinks.contains(container) ? null : content.toByteArray(), size, received,
                headers.get("x-ms-blob-content-md5"), headers.getOrDefault("x-ms-blob-content-type", "application/octet-stream"), etag, modified));
        send(exchange, 201, null, new byte[0], Map.of("ETag", etag, "Last-Modified", modified, "x-ms-request-server-encrypted", "true"));
    }

    private void list(HttpExchange exchange, String container, Map<String, String> query) throws IOException {
        String prefix = query.getOrDefault("prefix", "");
        String marker = query.getOrDefault("marker", "");
        List<Map.Entry<String, Blob>> matching = new TreeMap<>(containers.get(container)).entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix) && e.getKey().compareTo(marker) >= 0).toList();
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults ServiceEndpoint=\"")
                .append(base()).append("\" ContainerName=\"").append(escape(container)).append("\">");
        if (!prefix.isEmpty()) {
            xml.append("<Prefix>").append(escape(prefix)).append("</Prefix>");
        }
        if (!marker.isEmpty()) {
            xml.append("<Marker>").append(escape(marker)).append("</Marker>");
        }
        xml.append("<Blobs>");
        for (Map.Entry<String, Blob> e : matching.stream().limit(PAGE).toList()) {
            Blob b = e.getValue();
            xml.append("<Blob><Name>").append(escape(e.getKey())).append("</Name><Properties><Last-Modified>").append(b.lastModified())
                    .append("</Last-Modified><Etag>").append(b.etag().replace("\"", "")).append("</Etag><Content-Length>").append(b.size())
                    .append("</Content-Length><Content-Type>").append(escape(b.contentType())).append("</Content-Type>")
                    .append(b.contentMd5() == null ? "<Content-MD5 />" : "<Content-MD5>" + b.contentMd5() + "</Content-MD5>")
                    .append("<BlobType>BlockBlob</BlobType><LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState>")
                    .append("<ServerEncrypted>true</ServerEncrypted></Properties><Metadata /></Blob>");
        }
        xml.append("</Blobs>");
        xml.append(matching.size() > PAGE ? "<NextMarker>" + escape(matching.get(PAGE).getKey()) + "</NextMarker>" : "<NextMarker />");
        xml.append("</EnumerationResults>");
        send(exchange, 200, "application/xml", xml.toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private void get(HttpExchange exchange, String container, String name, Map<String, String> headers) throws IOException {
        Blob blob = containers.get(container).get(name);
        if (blob == null || blob.data() == null) {
            error(exchange, 404, "BlobNotFound", "The specified blob does not exist.");
            return;
        }
        byte[] data = blob.data();
        String range = headers.getOrDefault("x-ms-range", headers.get("range"));
        Map<String, String> out = new LinkedHashMap<>(Map.of("ETag", blob.etag(), "Last-Modified", blob.lastModified(),
                "x-ms-blob-type", "BlockBlob", "Accept-Ranges", "bytes", "x-ms-creation-time", blob.lastModified()));
        if (blob.contentMd5() != null) {
            out.put("Content-MD5", blob.contentMd5());
        }
        if (range != null && range.startsWith("bytes=") && data.length > 0) {
            String[] bounds = range.substring(6).split("-", -1);
            int from = Integer.parseInt(bounds[0]);
            int to = bounds[1].isEmpty() ? data.length - 1 : Math.min(Integer.parseInt(bounds[1]), data.length - 1);
            out.put("Content-Range", "bytes " + from + "-" + to + "/" + data.length);
            send(exchange, 206, blob.contentType(), java.util.Arrays.copyOfRange(data, from, to + 1), out);
        } else {
            send(exchange, 200, blob.contentType(), data, out);
        }
    }

    private void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        String xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + code + "</Code><Message>" + escape(message)
                + "\nRequestId:00000000-0000-0000-0000-000000000000\nTime:2025-01-01T00:00:00.0000000Z</Message></Error>";
        send(exchange, status, "application/xml", xml.getBytes(StandardCharsets.UTF_8), Map.of("x-ms-error-code", code));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body, Map<String, String> headers) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.getResponseHeaders().add("x-ms-request-id", java.util.UUID.randomUUID().toString());
        exchange.getResponseHeaders().add("x-ms-version", "2025-11-05");
        exchange.getResponseHeaders().add("Date", HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC)));
        if (type != null) {
            exchange.getResponseHeaders().add("Content-Type", type);
        }
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static long read(InputStream in, MessageDigest md5, MessageDigest running, ByteArrayOutputStream kept) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            md5.update(buffer, 0, n);
            if (running != null) {
                running.update(buffer, 0, n);
            }
            if (kept != null) {
                kept.write(buffer, 0, n);
            }
            total += n;
        }
        return total;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return query;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
