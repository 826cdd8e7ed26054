package io.tocsin.standalone.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The images' health check, {@code docker/HealthCheck.java}, compiled as the image build compiles it and run as
 * the image runs it (a separate {@code java} process with the HEALTHCHECK's options) against a real HTTP server:
 * exit 0 only for 200 on {@code /health}; 1 with the status and the DOWN body on standard error for a 503;
 * 1 when nothing listens; the port from {@code MICRONAUT_SERVER_PORT} when no argument names it.
 */
class HealthCheckTest {

    private static final Path SOURCE = ComposeFile.ROOT.resolve("docker/HealthCheck.java");
    private static final AtomicInteger STATUS = new AtomicInteger(200);

    @TempDir
    static Path classes;

    private static HttpServer server;

    @BeforeAll
    static void compileAndServe() throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("the tests run on a JDK").isNotNull();
        assertThat(javac.run(null, null, null, "-d", classes.toString(), SOURCE.toString())).as("javac " + SOURCE).isZero();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", exchange -> {
            int status = STATUS.get();
            byte[] body = (status == 200 ? "{\"name\":\"tocsin-collector\",\"status\":\"UP\"}"
                    : "{\"name\":\"tocsin-collector\",\"status\":\"DOWN\",\"details\":{\"kafka\":{\"status\":\"DOWN\"}}}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void upIsHealthy() throws Exception {
        STATUS.set(200);
        Run run = check(List.of(String.valueOf(server.getAddress().getPort())), Map.of());
        assertThat(run.exit()).as("exit status; stderr: %s", run.errors()).isZero();
    }

    @Test
    void downIsUnhealthyAndSaysWhy() throws Exception {
        STATUS.set(503);
        Run run = check(List.of(String.valueOf(server.getAddress().getPort())), Map.of());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.errors()).contains("/health answered 503").contains("\"kafka\":{\"status\":\"DOWN\"}");
    }

    @Test
    void nothingListeningIsUnhealthy() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Run run = check(List.of(String.valueOf(closedPort)), Map.of());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.errors()).contains("http://127.0.0.1:" + closedPort + "/health failed");
    }

    @Test
    void thePortComesFromMicronautServerPort() throws Exception {
        STATUS.set(200);
        Run run = check(List.of(), Map.of("MICRONAUT_SERVER_PORT", String.valueOf(server.getAddress().getPort())));
        assertThat(run.exit()).as("exit status; stderr: %s", run.errors()).isZero();
    }

    /** Runs the compiled check with the Dockerfile's JVM options. */
    private static Run check(List<String> arguments, Map<String, String> environment) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx32m", "-Xss512k", "-cp", classes.toString(), "HealthCheck"));
        command.addAll(arguments);
        Path errors = Files.createTempFile(classes, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove("MICRONAUT_SERVER_PORT");
        builder.environment().putAll(environment);
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the check finishes").isTrue();
        return new Run(process.exitValue(), Files.readString(errors, StandardCharsets.UTF_8));
    }

    private record Run(int exit, String errors) {
    }
}
