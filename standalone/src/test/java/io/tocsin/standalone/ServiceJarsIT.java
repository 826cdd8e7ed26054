package io.tocsin.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.common.launcher.Launcher;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.SwaggerUiPage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
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

    @TempDir
    Path workDir;

    @ParameterizedTest(name = "{0} on port {1}")
    @CsvSource({"collector-service, 8081, io.tocsin.collector.CollectorApplication", "rules-service, 8082, io.tocsin.rules.RulesApplication",
            "dispatcher-service, 8083, io.tocsin.dispatcher.DispatcherApplication", "cloud-service, 8084, io.tocsin.cloud.CloudApplication"})
    void eachServiceRunsOnItsOwn(String module, int port, String mainClass) throws Exception {
        Path jar = Path.of("..", module, "target", "tocsin-" + module + ".jar").toAbsolutePath().normalize();
        assertThat(jar).exists();
        // Started through the shared launcher (its one line on an old Java: TocsinLauncherIT), which hands over here.
        try (JarFile file = new JarFile(jar.toFile())) {
            Attributes manifest = file.getManifest().getMainAttributes();
            assertThat(manifest.getValue("Main-Class")).isEqualTo(Launcher.class.getName());
            assertThat(manifest.getValue("Tocsin-Main-Class")).isEqualTo(mainClass);
        }
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

    /**
     * A Kafka client property given as a real environment variable of the process (Micronaut's own environment
     * source, not a test double) reaches the clients under Kafka's name: an invalid security.protocol given as
     * TOCSIN_KAFKA_PROPERTIES_SECURITY_PROTOCOL is what Kafka's client refuses when /health builds its admin client.
     * (Every spelling and precedence rule: KafkaEnvironmentPropertiesTest in common.)
     */
    @org.junit.jupiter.api.Test
    void aKafkaPropertyGivenAsAnEnvironmentVariableReachesTheClients() throws Exception {
        Path jar = Path.of("..", "collector-service", "target", "tocsin-collector-service.jar").toAbsolutePath().normalize();
        int port = StandaloneJarIT.freePort();
        String refusal = "Invalid value NOT_A_PROTOCOL for configuration security.protocol";
        try (ServiceProcess service = ServiceProcess.start("collector", port, workDir,
                List.of("-Dtocsin.kafka.bootstrap-servers=" + KafkaBrokerExtension.broker().bootstrapServers(), "-jar", jar.toString()),
                Map.of("MICRONAUT_SERVER_PORT", String.valueOf(port), "TOCSIN_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "NOT_A_PROTOCOL"))) {
            Instant deadline = Instant.now().plusSeconds(60);
            while (!service.logText().contains(refusal)) {
                assertThat(Instant.now()).as("the client refuses the property; log:%n%s", service.logText()).isBefore(deadline);
                assertThat(service.waitFor(Duration.ZERO)).as("process alive; log:%n%s", service.logText()).isEqualTo(-1);
                service.poke("/health"); // the health indicator builds an admin client from the configuration
                Thread.sleep(200);
            }
            service.stop();
        }
    }

    /** A check made while the process is up. */
    interface WhileUp {
        void check() throws Exception;
    }

    /** Starts the command, waits for /health UP on the port, runs {@code whileUp}, stops it with SIGTERM, returns the health body. */
    private String runUntilHealthy(List<String> javaArgs, int port, WhileUp whileUp) throws Exception {
        try (ServiceProcess service = ServiceProcess.start("service", port, workDir, javaArgs)) {
            String body = service.awaitHealthy(Duration.ofSeconds(60));
            whileUp.check();
            service.stop();
            return body;
        }
    }
}
