package io.tocsin.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * A running server's Swagger UI as a browser without Internet access would load it: the page at
 * {@code /swagger-ui/}, every script, style sheet and icon it names, and the OpenAPI documents it shows. All of
 * it is fetched without a token, as the API docs are public (only {@code /api/**} needs one).
 *
 * <p>Error contract: {@link #assertServedFromTheServer} throws an {@link AssertionError} naming the first thing
 * that is wrong (a status other than 200, a reference to another host, swagger-ui's online validator left on, a
 * page that names no script or no document, a document that is not an OpenAPI YAML); an I/O failure of the
 * request is rethrown as it is.
 */
public final class SwaggerUiPage {

    /** A URL with another host: {@code https://cdn...}, {@code //unpkg.com/...}. */
    private static final Pattern EXTERNAL = Pattern.compile("(?i)(?:https?:)?//[a-z0-9-]+(?:\\.[a-z0-9-]+)+");
    /**
     * What the page loads: quoted paths to scripts, styles, icons and documents, whether in an attribute
     * ({@code src="res/a.js"}) or in the script that builds the page ({@code contextPath + "/swagger-ui/res/a.js"},
     * {@code url: '/swagger/doc.yml'}).
     */
    private static final Pattern REFERENCE = Pattern.compile("[\"']([^\"'\\s<>]+\\.(?:js|css|png|ico|yml|yaml|json))[\"']");

    private static final Pattern VALIDATOR_OFF = Pattern.compile("[\"']?validatorUrl[\"']?\\s*:\\s*null");

    private SwaggerUiPage() {
    }

    /**
     * Checks the Swagger UI of the server at {@code baseUrl} (e.g. {@code http://localhost:8081}) and returns the
     * paths of the OpenAPI documents its page loads, in page order, each checked to answer 200 with an OpenAPI
     * YAML document.
     */
    public static List<String> assertServedFromTheServer(String baseUrl) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI page = URI.create(baseUrl + "/swagger-ui/");
        HttpResponse<String> html = get(http, page);
        assertTrue(html.headers().firstValue("Content-Type").orElse("").startsWith("text/html"),
                page + " is not HTML: " + html.headers().firstValue("Content-Type"));
        assertTrue(get(http, URI.create(baseUrl + "/swagger-ui")).body().equals(html.body()),
                baseUrl + "/swagger-ui (no slash) does not answer the same page");

        Matcher external = EXTERNAL.matcher(html.body());
        if (external.find()) {
            throw new AssertionError(page + " names another host: " + external.group());
        }

        // swagger-ui's default sends the document's address to validator.swagger.io for a badge; null turns it off.
        assertTrue(VALIDATOR_OFF.matcher(html.body()).find(), page + " does not set validatorUrl: null");

        Set<String> references = new LinkedHashSet<>();
        Matcher reference = REFERENCE.matcher(html.body());
        while (reference.find()) {
            references.add(reference.group(1));
        }
        assertTrue(references.stream().anyMatch(r -> r.endsWith(".js")), page + " names no script: " + references);
        assertTrue(references.stream().anyMatch(r -> r.endsWith(".css")), page + " names no style sheet: " + references);

        List<String> documents = new ArrayList<>();
        for (String path : references) {
            URI resource = page.resolve(path);
            assertTrue(resource.getHost().equals(page.getHost()) && resource.getPort() == page.getPort(),
                    page + " loads " + path + " from elsewhere");
            HttpResponse<String> answer = get(http, resource);
            assertTrue(!answer.body().isEmpty(), resource + " is empty");
            if (path.endsWith(".yml") || path.endsWith(".yaml")) {
                Object document = new Yaml().load(answer.body());
                assertTrue(document instanceof Map<?, ?> map && map.containsKey("openapi"), resource + " is not an OpenAPI document");
                documents.add(resource.getPath());
            }
        }
        assertTrue(!documents.isEmpty(), page + " loads no OpenAPI document: " + references);
        return documents;
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() == 200, "GET " + uri + " answered " + response.statusCode() + " without a token");
        return response;
    }

    private static void assertTrue(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
