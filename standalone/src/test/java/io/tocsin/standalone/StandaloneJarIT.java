package io.tocsin.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.testing.SwaggerUiPage;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command as {@code bin/tocsin} executes it, {@code java -jar standalone/target/tocsin-standalone.jar}
 * in a fresh directory (the JDK search of {@code bin/tocsin} itself: {@link TocsinLauncherIT}). {@code /health} must answer UP within 20 s, the tokens are printed, and SIGTERM stops it.
 * The shaded jar keeps each service's Swagger UI in its own directory (none overwrites another) and serves the
 * standalone's page over the four documents.
 */
class StandaloneJarIT {

    @TempDir
    Path workDir;

    static int freePort() throws IOException { // shared with ServiceJarsIT
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void theRunCommandBringsTocsinUpAndSigtermStopsIt() throws Exception {
        Path jar = Path.of(System.getProperty("tocsin.standalone.jar", "target/tocsin-standalone.jar")).toAbsolutePath();
        assertThat(jar).exists();
        int httpPort = freePort();
        Path log = workDir.resolve("tocsin.log");
        Process process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dmicronaut.server.port=" + httpPort,
                "-Dtocsin.standalone.kafka-port=" + freePort(),
                "-Dtocsin.standalone.controller-port=" + freePort(),
                "-jar", jar.toString()))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            Instant start = Instant.now();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            String status = "";
            while (!status.contains("\"status\":\"UP\"") && Duration.between(start, Instant.now()).toSeconds() < 20 && process.isAlive()) {
                try {
                    status = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/health"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
                } catch (IOException e) {
                    Thread.sleep(200);
                }
            }
            assertThat(status).as("health within 20 s; log:%n%s", Files.readString(log)).contains("\"status\":\"UP\"");

            String output = Files.readString(log);
            assertThat(output).contains("Tocsin standalone is up at http://localhost:" + httpPort, "ingest: tocsin_ingest_", "admin:  tocsin_admin_");
            assertThat(workDir.resolve("tocsin-data/api-tokens.properties")).exists();
            assertThat(workDir.resolve("tocsin-data/kafka/meta.properties")).exists();

            assertThat(SwaggerUiPage.assertServedFromTheServer("http://localhost:" + httpPort)).containsExactly(
                    "/swagger/tocsin-collector-0.1.yml", "/swagger/tocsin-rules-0.1.yml", "/swagger/tocsin-dispatcher-0.1.yml",
                    "/swagger/tocsin-cloud-0.1.yml");
            try (ZipFile shaded = new ZipFile(jar.toFile())) {
                for (String view : List.of("standalone", "collector", "rules", "dispatcher", "cloud")) {
                    assertThat(shaded.getEntry("META-INF/swagger/views/" + view + "/swagger-ui/index.html")).as(view).isNotNull();
                }
            }
        } finally {
            process.destroy();
            assertThat(process.waitFor(40, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        }
        assertThat(Files.readString(log)).contains("Tocsin standalone stopped");
    }
}
