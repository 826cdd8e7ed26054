package io.tocsin.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.tocsin.testing.KafkaBroker;
import io.tocsin.testing.KafkaBrokerExtension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The two body limits of every Tocsin HTTP server, with the settings the standalone runs with: a body an endpoint
 * reads whole is refused above {@code micronaut.server.max-request-buffer-size} (1 MB, common's default) while an
 * endpoint that streams its body takes up to {@code micronaut.server.max-request-size}; each refusal is a 413
 * problem naming the limit and its setting (a streaming endpoint meets the limit as an {@code IOException} from its
 * stream and answers for itself: the backups endpoint's test covers that).
 */
@ExtendWith(KafkaBrokerExtension.class)
class BodyLimitsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int MB = 1024 * 1024;
    static EmbeddedServer server;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start(KafkaBroker broker) {
        server = ApplicationContext.run(EmbeddedServer.class, Map.of("spec.name", "BodyLimitsTest", "micronaut.server.port", -1,
                "tocsin.kafka.bootstrap-servers", broker.bootstrapServers(), "micronaut.server.max-request-size", "8MB"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aBodyReadWholeIsBoundedByTheBufferSize() throws Exception {
        assertThat(post("/limits/whole", MB - 100, false).statusCode()).isEqualTo(200);
        for (boolean chunked : new boolean[] {false, true}) {
            HttpResponse<String> refused = post("/limits/whole", 2 * MB, chunked);
            assertThat(refused.statusCode()).as("chunked " + chunked).isEqualTo(413);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
            JsonNode problem = JSON.readTree(refused.body());
            assertThat(problem.get("detail").asText()).contains("larger than " + MB + " bytes", "micronaut.server.max-request-buffer-size");
            assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("body");
        }
    }

    @Test
    void anyBodyIsBoundedByTheRequestSize() throws Exception {
        for (boolean chunked : new boolean[] {false, true}) {
            HttpResponse<String> taken = post("/limits/streamed", 5 * MB, chunked);
            assertThat(taken.statusCode()).as("chunked " + chunked).isEqualTo(200);
            assertThat(taken.body()).isEqualTo(Integer.toString(5 * MB));
        }
        HttpResponse<String> refused = post("/limits/whole", 9 * MB, false);
        assertThat(refused.statusCode()).isEqualTo(413);
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.get("detail").asText()).contains("larger than " + 8 * MB + " bytes", "micronaut.server.max-request-size");
        assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("body");
    }

    private HttpResponse<String> post(String path, int size, boolean chunked) throws IOException, InterruptedException {
        byte[] body = new byte[size];
        HttpRequest.BodyPublisher publisher = chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body);
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort() + path))
                .header("Content-Type", MediaType.APPLICATION_OCTET_STREAM).POST(publisher).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Requires(property = "spec.name", value = "BodyLimitsTest")
    @Controller("/limits")
    static class LimitsController {

        @Post(uri = "/whole", consumes = MediaType.APPLICATION_OCTET_STREAM, produces = MediaType.TEXT_PLAIN)
        String whole(@Body byte[] body) {
            return Integer.toString(body.length);
        }

        @Post(uri = "/streamed", consumes = MediaType.APPLICATION_OCTET_STREAM, produces = MediaType.TEXT_PLAIN)
        @ExecuteOn(TaskExecutors.BLOCKING)
        String streamed(@Body InputStream body) throws IOException {
            return Long.toString(body.transferTo(java.io.OutputStream.nullOutputStream()));
        }
    }
}
