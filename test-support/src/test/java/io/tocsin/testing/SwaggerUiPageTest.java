package io.tocsin.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The page check against the JDK's HTTP server serving hand-written pages: a local page passes, a CDN or a 404 fails. */
class SwaggerUiPageTest {

    static final String LOCAL = """
            <!doctype html><html><head><link rel="stylesheet" href="/swagger-ui/res/ui.css"></head>
            <body><script src="res/ui.js"></script>
            <script>SwaggerUIBundle({urls: [{url: '/swagger/a-1.yml', name: 'a'}, {url: '/swagger/b-1.yml', name: 'b'}],
                validatorUrl: null})</script>
            </body></html>""";

    final Map<String, String> files = new HashMap<>();
    HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = files.get(path.equals("/swagger-ui") ? "/swagger-ui/" : path);
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            boolean page = path.startsWith("/swagger-ui") && !path.contains(".");
            exchange.getResponseHeaders().set("Content-Type", page ? "text/html" : "text/plain");
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        files.put("/swagger-ui/res/ui.css", "body{}");
        files.put("/swagger-ui/res/ui.js", "var x;");
        files.put("/swagger/a-1.yml", "openapi: 3.0.1\n");
        files.put("/swagger/b-1.yml", "openapi: 3.0.1\n");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    String base() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    @Test
    void aPageServedWithItsOwnFilesPassesAndNamesItsDocuments() throws Exception {
        files.put("/swagger-ui/", LOCAL);
        assertThat(SwaggerUiPage.assertServedFromTheServer(base())).containsExactly("/swagger/a-1.yml", "/swagger/b-1.yml");
    }

    @Test
    void aScriptFromACdnFails() {
        files.put("/swagger-ui/", LOCAL.replace("res/ui.js", "https://cdn.jsdelivr.net/npm/swagger-ui-dist/ui.js"));
        assertThatThrownBy(() -> SwaggerUiPage.assertServedFromTheServer(base())).isInstanceOf(AssertionError.class)
                .hasMessageContaining("names another host: https://cdn.jsdelivr.net");
        files.put("/swagger-ui/", LOCAL.replace("res/ui.js", "//unpkg.com/swagger-ui-dist/ui.js"));
        assertThatThrownBy(() -> SwaggerUiPage.assertServedFromTheServer(base())).isInstanceOf(AssertionError.class)
                .hasMessageContaining("names another host: //unpkg.com");
    }

    @Test
    void swaggerUisOnlineValidatorMustBeOff() {
        files.put("/swagger-ui/", LOCAL.replace("validatorUrl: null", "deepLinking: true"));
        assertThatThrownBy(() -> SwaggerUiPage.assertServedFromTheServer(base())).isInstanceOf(AssertionError.class)
                .hasMessageContaining("does not set validatorUrl: null");
    }

    @Test
    void aMissingFileOrDocumentFails() {
        files.put("/swagger-ui/", LOCAL);
        files.remove("/swagger-ui/res/ui.js");
        assertThatThrownBy(() -> SwaggerUiPage.assertServedFromTheServer(base())).isInstanceOf(AssertionError.class)
                .hasMessageContaining("/swagger-ui/res/ui.js answered 404");
        files.put("/swagger-ui/res/ui.js", "var x;");
        files.put("/swagger/b-1.yml", "just: yaml\n");
        assertThatThrownBy(() -> SwaggerUiPage.assertServedFromTheServer(base())).isInstanceOf(AssertionError.class)
                .hasMessageContaining("b-1.yml is not an OpenAPI document");
        files.remove("/swagger-ui/");
        assertThatThrownBy(() -> SwaggerUiPage.assertServedFromTheServer(base())).isInstanceOf(AssertionError.class)
                .hasMessageContaining("/swagger-ui/ answered 404");
    }
}
