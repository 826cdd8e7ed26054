package io.tocsin.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Creates and deletes the bench's webhook integrations through Tocsin's integrations API with the admin token:
 * {@code POST /api/v1/integrations} (201 with {@code {"id": ...}}) and {@code DELETE /api/v1/integrations/{id}}.
 *
 * <p>Error contract: {@link #create} throws {@link IOException} with the HTTP status and Tocsin's answer
 * (which names the offending field, never the token) when the integration is not created. The admin token never
 * appears in a message.
 */
final class IntegrationsApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Keeps an error message readable when Tocsin answers with something long. */
    private static final int MAX_ANSWER = 500;

    private final HttpClient http;
    private final URI integrations;
    private final String adminToken;

    IntegrationsApi(HttpClient http, URI tocsin, String adminToken) {
        this.http = http;
        this.integrations = URI.create(tocsin + "/api/v1/integrations");
        this.adminToken = adminToken;
    }

    /** The JSON body that creates webhook integration {@code name} for every event, ENDED included. */
    static ObjectNode body(String name, String url) {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", name);
        body.put("service", "webhook");
        body.putObject("config").put("url", url);
        body.putArray("events").add("All Events");
        body.put("sendEnded", true);
        return body;
    }

    /**
     * Creates a webhook integration delivering every event to {@code url}.
     *
     * @return the id Tocsin gave it
     * @throws IOException when Tocsin does not answer 201 with an id, or cannot be reached
     */
    String create(String name, String url) throws IOException, InterruptedException {
        HttpRequest request = authorised(HttpRequest.newBuilder(integrations))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body(name, url))))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IOException("creating integration " + name + " failed: HTTP " + response.statusCode() + " " + shorten(response.body()));
        }
        JsonNode id;
        try {
            id = JSON.readTree(response.body()).get("id");
        } catch (IOException e) {
            id = null;
        }
        if (id == null || id.isNull() || id.asText().isBlank()) {
            throw new IOException("creating integration " + name + ": HTTP 201 without an id: " + shorten(response.body()));
        }
        return id.asText();
    }

    /**
     * Deletes integration {@code id}.
     *
     * @return null when deleted (2xx or already gone, 404), else why not
     */
    String delete(String id) throws InterruptedException {
        HttpRequest request = authorised(HttpRequest.newBuilder(
                integrations.resolve("integrations/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20")))).DELETE().build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status / 100 == 2 || status == 404 ? null : "HTTP " + status;
        } catch (IOException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private HttpRequest.Builder authorised(HttpRequest.Builder builder) {
        return builder.timeout(REQUEST_TIMEOUT).header("Authorization", "Bearer " + adminToken);
    }

    private static String shorten(String answer) {
        String text = answer == null ? "" : answer.strip();
        return text.length() <= MAX_ANSWER ? text : text.substring(0, MAX_ANSWER) + "...";
    }
}
