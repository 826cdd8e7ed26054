package io.tocsin.cloud.api;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.tocsin.common.security.SecretBox;
import io.tocsin.testing.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A cloud service for tests: a real Micronaut server on the shared test broker, with its own topic prefix, an
 * admin token and a secrets key; {@link #call} calls its API and remembers every answer, so a test can search
 * them all for secrets. {@link #sibling} starts a second instance on the same topics.
 */
public class CloudServiceHarness implements AutoCloseable {

    public static final String ADMIN_TOKEN = "test-admin-token-cloud-0123456789";

    public final String prefix;
    public final String bootstrap = KafkaBrokerExtension.broker().bootstrapServers();
    public final List<String> answers = new ArrayList<>();
    private final Map<String, Object> properties = new HashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private EmbeddedServer server;

    public CloudServiceHarness() {
        this("t" + System.nanoTime() + ".", SecretBox.newKey());
    }

    private CloudServiceHarness(String prefix, String secretsKey) {
        this.prefix = prefix;
        properties.put("micronaut.server.port", -1);
        properties.put("tocsin.kafka.bootstrap-servers", bootstrap);
        properties.put("tocsin.kafka.topic-prefix", prefix);
        properties.put("tocsin.security.admin-token", ADMIN_TOKEN);
        if (secretsKey != null) {
            properties.put("tocsin.secrets.key", secretsKey);
        }
    }

    /** Settings to start with (e.g. {@code spec.name} for a test's beans); a null value removes the setting. */
    public CloudServiceHarness with(String key, Object value) {
        if (value == null) {
            properties.remove(key);
        } else {
            properties.put(key, value);
        }
        return this;
    }

    public CloudServiceHarness start() {
        // The cloud environment, as CloudApplication starts it (application-cloud.yml: the request limits, port 8084
        // which the properties replace).
        server = ApplicationContext.builder().environments("cloud").properties(properties).run(EmbeddedServer.class);
        return this;
    }

    /** Another instance on the same topics and key (not started), with the same test beans. */
    public CloudServiceHarness sibling() {
        CloudServiceHarness other = new CloudServiceHarness(prefix, (String) properties.get("tocsin.secrets.key"));
        properties.forEach((key, value) -> other.properties.putIfAbsent(key, value));
        return other;
    }

    public String secretsKey() {
        return (String) properties.get("tocsin.secrets.key");
    }

    public <T> T bean(Class<T> type) {
        return server.getApplicationContext().getBean(type);
    }

    public <T> T bean(Class<T> type, String name) {
        return server.getApplicationContext().getBean(type, io.micronaut.inject.qualifiers.Qualifiers.byName(name));
    }

    public int port() {
        return server.getPort();
    }

    public HttpResponse<String> call(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort() + path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            synchronized (answers) {
                answers.add(response.statusCode() + " " + response.headers().map() + " " + response.body());
            }
            return response;
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
