package io.tocsin.rules.testing;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.tocsin.testing.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A rules service for tests: a real Micronaut server on a random port, on the shared test broker, with its own topic
 * prefix (shared by siblings, so two instances see the same topics) and an admin token; plus a helper to call its
 * API. The Streams topology is off unless {@code tocsin.rules.enabled} is set to true in the extra properties.
 */
public class RulesHarness implements AutoCloseable {

    public static final String ADMIN_TOKEN = "test-admin-token-rules-0123456789";

    public final String prefix;
    public final String bootstrap = KafkaBrokerExtension.broker().bootstrapServers();
    private final HttpClient http = HttpClient.newHttpClient();
    private EmbeddedServer server;

    public RulesHarness() {
        this("r" + System.nanoTime() + ".");
    }

    private RulesHarness(String prefix) {
        this.prefix = prefix;
    }

    public Map<String, Object> properties() {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("tocsin.kafka.bootstrap-servers", bootstrap);
        props.put("tocsin.kafka.topic-prefix", prefix);
        props.put("tocsin.rules.enabled", "false");
        props.put("tocsin.rules.application-id", "rules-" + prefix);
        props.put("tocsin.rules.state-dir", Path.of(System.getProperty("java.io.tmpdir"), "tocsin-test-streams", prefix).toString());
        props.put("tocsin.security.admin-token", ADMIN_TOKEN);
        return props;
    }

    public RulesHarness start(Map<String, Object> extra) {
        Map<String, Object> props = properties();
        props.putAll(extra);
        server = ApplicationContext.run(EmbeddedServer.class, props);
        return this;
    }

    /** Another instance on the same topics (a second pod, or this one restarted). */
    public RulesHarness sibling(Map<String, Object> extra) {
        return new RulesHarness(prefix).start(extra);
    }

    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    public HttpResponse<String> call(String method, String path, String json) {
        return call(method, path, json, ADMIN_TOKEN);
    }

    public HttpResponse<String> call(String method, String path, String json, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort() + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.getApplicationContext().close();
        }
    }
}
