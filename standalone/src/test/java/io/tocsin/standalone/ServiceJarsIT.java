package io.tocsin.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.SwaggerUiPage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each service on its own, as {@code java -jar <service>/target/tocsin-<service>.jar} against an external Kafka
 * (the test broker), answers {@code /health} UP on its port of DESIGN.md section 6 and serves its Swagger UI from
 * the jar, showing its own OpenAPI document; and the standalone with {@code --kafka=HOST:PORT} uses that Kafka
 * instead of starting its own.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ServiceJarsIT {

    /** The aggregate status comes first in Micronaut's health body; a component's UP alone is not enough. */
    private static final java.util.regex.Pattern OVERALL_UP = java.util.regex.Pattern.compile("\\{\"name\":\"[^\"]+\",\"status\":\"UP\"");

    @TempDir
    Path workDir;

    @ParameterizedTest(name = "{0} on port {1}")
    @CsvSource({"collector-service, 8081", "rules-service, 8082", "dispatcher-service, 8083", "cloud-service, 8084"})
    void eachServiceRunsOnItsOwn(String module, int port) throws Exception {
        Path jar = Path.of("..", module, "target", "tocsin-" + module + ".jar").toAbsolutePath().normalize();
        assertThat(jar).exists();
        String prefix = "jar" + System.nanoTime() + ".";
        String service = "tocsin-" + module.replace("-service", "");
        String health = runUntilHealthy(List.of("-Dtocsin.kafka.bootstrap-servers=" + KafkaBrokerExtension.broker().bootstrapServers(),
                "-Dtocsin.kafka.topic-prefix=" + prefix, "-Dtocsin.rules.state-dir=" + workDir.resolve("state"),
                "-Dtocsin.rules.application-id=" + prefix + "rules", "-Dtocsin.dispatcher.group-id=" + prefix + "dispatcher",
                "-jar", jar.toString()), port, () -> assertThat(SwaggerUiPage.assertServedFromTheServer("http://localhost:" + port))
                        .containsExactly("/swagger/" + service + "-0.1.yml"));
        assertThat(health).startsWith("{\"name\":\"" + service + "\",\"status\":\"UP\"")
                .contains("\"kafka\":{\"name\":\"" + service + "\",\"status\":\"UP\",\"details\":{\"bootstrapServers\":\""
                        + KafkaBrokerExtension.broker().bootstrapServers() + "\"");
    }

    @org.junit.jupiter.api.Test
    void theStandaloneUsesAnExternalKafkaWhenGivenOne() throws Exception {
        Path jar = Path.of("target", "tocsin-standalone.jar").toAbsolutePath();
        int port = StandaloneJarIT.freePort();
        String bootstrap = KafkaBrokerExtension.broker().bootstrapServers();
        String prefix = "ext" + System.nanoTime() + ".";
        String health = runUntilHealthy(List.of("-Dmicronaut.server.port=" + port, "-Dtocsin.kafka.topic-prefix=" + prefix,
                "-Dtocsin.rules.application-id=" + prefix + "rules", "-Dtocsin.dispatcher.group-id=" + prefix + "dispatcher",
                "-jar", jar.toString(), "--kafka=" + bootstrap, "--data-dir=" + workDir.resolve("data")), port, () -> { });
        assertThat(health).contains(bootstrap);
        assertThat(workDir.resolve("data/kafka")).as("no embedded broker was started").doesNotExist();
    }

    /** A check made while the process is up. */
    interface WhileUp {
        void check() throws Exception;
    }

    /** Starts the command, waits for /health UP on the port, runs {@code whileUp}, stops it with SIGTERM, returns the health body. */
    private String runUntilHealthy(List<String> javaArgs, int port, WhileUp whileUp) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaArgs);
        Path log = Files.createTempFile(workDir, "service", ".log");
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            Instant deadline = Instant.now().plusSeconds(60);
            String body = "";
            while (!OVERALL_UP.matcher(body).lookingAt()) {
                assertThat(Instant.now()).as("health UP on %d; log:%n%s", port, Files.readString(log)).isBefore(deadline);
                assertThat(process.isAlive()).as("process alive; log:%n%s", Files.readString(log)).isTrue();
                try {
                    body = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health"))
                            .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString()).body();
                } catch (IOException e) {
                    Thread.sleep(200);
                }
            }
            whileUp.check();
            return body;
        } finally {
            process.destroy();
            assertThat(process.waitFor(40, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        }
    }
}
