package io.tocsin.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One Tocsin service (or the standalone) started as its own {@code java} process with the JDK running the tests,
 * its output in a log file: wait until its {@code /health} answers UP, stop it with SIGTERM or kill it with SIGKILL.
 */
final class ServiceProcess implements AutoCloseable {

    /** The aggregate status comes first in Micronaut's health body; a component's UP alone is not enough. */
    private static final Pattern OVERALL_UP = Pattern.compile("\\{\"name\":\"[^\"]+\",\"status\":\"UP\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private ServiceProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code java <javaArgs>} in {@code workDir}; {@code port} is where its HTTP server will listen. */
    static ServiceProcess start(String name, int port, Path workDir, List<String> javaArgs) throws IOException {
        return start(name, port, workDir, javaArgs, Map.of());
    }

    /** The same with {@code env} added to the process's environment (settings given as environment variables). */
    static ServiceProcess start(String name, int port, Path workDir, List<String> javaArgs, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaArgs);
        Path log = Files.createTempFile(workDir, name + "-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new ServiceProcess(name, port, log, builder.start());
    }

    /** One GET of {@code path}, whatever it answers (or nothing while the server is not up yet). */
    void poke(String path) throws InterruptedException {
        try {
            HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // not listening yet: the caller polls again
        }
    }

    /** Waits until {@code /health} answers UP as a whole, and returns that body; fails early if the process dies. */
    String awaitHealthy(Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        String body = "";
        while (!OVERALL_UP.matcher(body).lookingAt()) {
            assertThat(Instant.now()).as("%s healthy on %d; log:%n%s", name, port, logText()).isBefore(deadline);
            assertThat(process.isAlive()).as("%s alive; log:%n%s", name, logText()).isTrue();
            try {
                body = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health"))
                        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException e) {
                body = "";
            }
            if (!OVERALL_UP.matcher(body).lookingAt()) {
                Thread.sleep(200);
            }
        }
        return body;
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. Returns once the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s gone after SIGKILL", name).isTrue();
    }

    /** SIGTERM, and asserts the process ends within 40 s (its shutdown hook stops it cleanly). */
    void stop() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(40, TimeUnit.SECONDS)).as("%s stops on SIGTERM", name).isTrue();
    }

    /** Waits for a process that ends by itself (a tool) and returns its exit code, or -1 if it is still running. */
    int waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    int port() {
        return port;
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Kills whatever is still running, so a failed test leaves no process behind. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
