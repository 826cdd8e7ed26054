package io.tocsin.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The integrations API calls, against a JDK HTTP server on loopback that records each request and answers as
 * the contract says (Tocsin's integrations API is not in this repository yet, so the end-to-end test declares its
 * integration through properties instead).
 */
class IntegrationsApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN = "tocsin_admin_do-not-print-me";

    record Request(String method, String path, String authorization, String contentType, String body) {
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    volatile int status = 201;
    volatile String answer = "{\"id\": \"int-7\", \"name\": \"bench-healthy-abc123\"}";
    HttpServer tocsin;
    IntegrationsApi api;

    @BeforeEach
    void start() throws IOException {
        tocsin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tocsin.createContext("/api/v1/integrations", exchange -> {
            try (exchange) {
                requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("Content-Type"),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    exchange.getResponseBody().write(bytes);
                }
            }
        });
        tocsin.start();
        api = new IntegrationsApi(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:" + tocsin.getAddress().getPort()), ADMIN);
    }

    @AfterEach
    void stop() {
        tocsin.stop(0);
    }

    @Test
    void createsAWebhookIntegrationForEveryEvent() throws Exception {
        assertThat(api.create("bench-healthy-abc123", "http://127.0.0.1:18181/healthy")).isEqualTo("int-7");

        Request request = requests.getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/v1/integrations");
        assertThat(request.authorization()).isEqualTo("Bearer " + ADMIN);
        assertThat(request.contentType()).isEqualTo("application/json");
        assertThat(JSON.readTree(request.body())).isEqualTo(JSON.readTree("""
                {"name": "bench-healthy-abc123", "service": "webhook", "config": {"url": "http://127.0.0.1:18181/healthy"},
                 "events": ["All Events"], "sendEnded": true}
                """));
    }

    @Test
    void aNumericIdIsTakenAsText() throws Exception {
        answer = "{\"id\": 42}";
        assertThat(api.create("bench-failing-abc123", "http://127.0.0.1:1/failing")).isEqualTo("42");
    }

    @Test
    void aRefusalNamesTheStatusAndTheAnswerButNotTheToken() {
        status = 400;
        answer = "{\"status\": 400, \"errors\": [{\"field\": \"config.url\", \"message\": \"must be an absolute URL\"}]}";
        assertThatThrownBy(() -> api.create("bench-healthy-abc123", "http://127.0.0.1:1/healthy"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("creating integration bench-healthy-abc123 failed: HTTP 400 {\"status\": 400")
                .hasMessageContaining("config.url")
                .hasMessageNotContaining(ADMIN);
    }

    @Test
    void a201WithoutAnIdIsAnError() {
        answer = "{}";
        assertThatThrownBy(() -> api.create("bench-healthy-abc123", "http://127.0.0.1:1/healthy"))
                .isInstanceOf(IOException.class)
                .hasMessage("creating integration bench-healthy-abc123: HTTP 201 without an id: {}");
    }

    @Test
    void deletesByIdAndReportsWhatWentWrong() throws Exception {
        status = 204;
        answer = "";
        assertThat(api.delete("int 7/x")).isNull();
        assertThat(requests.getFirst().method()).isEqualTo("DELETE");
        assertThat(requests.getFirst().path()).isEqualTo("/api/v1/integrations/int%207%2Fx");
        assertThat(requests.getFirst().authorization()).isEqualTo("Bearer " + ADMIN);

        status = 404;
        assertThat(api.delete("gone")).as("already gone counts as deleted").isNull();
        status = 500;
        assertThat(api.delete("int-7")).isEqualTo("HTTP 500");
    }
}
