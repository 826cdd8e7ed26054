package io.tocsin.cloud.provider.aws;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * S3Mock (https://github.com/adobe/S3Mock), a server that speaks the S3 REST protocol (multipart uploads, listings,
 * ranges, ETags), run from its executable jar as a separate process of this JVM's java, on a free port of 127.0.0.1,
 * storing in a temporary directory. The jar is copied to {@code target/s3mock} by the build (the cloud-service pom);
 * without it the test fails saying so, it is never skipped. S3Mock takes path-style addressing only.
 */
public final class S3MockServer implements AutoCloseable {

    static final Path JAR = Path.of("target", "s3mock", "s3mock-exec.jar");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Path store;
    private final Path log;
    private final int port;

    private S3MockServer(Process process, Path store, Path log, int port) {
        this.process = process;
        this.store = store;
        this.log = log;
        this.port = port;
    }

    /** Starts S3Mock with these buckets and returns once it answers. */
    public static S3MockServer start(String... buckets) throws IOException, InterruptedException {
        if (!Files.isRegularFile(JAR)) {
            throw new AssertionError(JAR.toAbsolutePath() + " is missing: run the tests through Maven (the cloud-service pom "
                    + "copies S3Mock's executable jar there in generate-test-resources)");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path store = Files.createTempDirectory("s3mock");
        Path log = Files.createTempFile("s3mock", ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-Xmx192m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(),
                "--server.port=0", // its HTTPS connector: unused, on any free port
                "--server.address=127.0.0.1",
                "--com.adobe.testing.s3mock.httpPort=" + port,
                "--com.adobe.testing.s3mock.store.root=" + store,
                "--com.adobe.testing.s3mock.store.initial-buckets=" + String.join(",", buckets),
                "--spring.main.banner-mode=off")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        S3MockServer server = new S3MockServer(process, store, log, port);
        try {
            server.awaitUp();
        } catch (RuntimeException | Error | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Settings that send S3 here, path-style, with {@code partSize} parts. */
    public AwsSettings settings(long partSize) {
        return new AwsSettings(null, null, url(), true, Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ofSeconds(5),
                Duration.ofSeconds(60), 1, partSize, "when-supported");
    }

    private void awaitUp() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("S3Mock exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                // ListBuckets: S3Mock answers it without checking signatures.
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url() + "/")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("S3Mock did not answer within " + START_TIMEOUT + ":\n" + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(store)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: left to the OS
        }
        log.toFile().delete();
    }
}
