import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The images' health check: asks the service in the same container for {@code /health} and exits 0 when it
 * answers 200 (UP), 1 otherwise. The JRE base image has neither curl nor wget, so the check is this class,
 * compiled when the image is built and run with the image's own {@code java}.
 *
 * <p>Error contract: never throws; every failure (connection refused, timeout, a status other than 200, an
 * interruption) is exit status 1 with one line on standard error naming the URL and the cause, which Docker
 * keeps in the container's health log ({@code docker inspect}). A DOWN answer's body (which names the failing
 * indicator, e.g. Kafka) is included, cut to 500 characters.
 *
 * <p>The port is the first argument when given, else {@code MICRONAUT_SERVER_PORT} (set by the image to the
 * service's port, and what an operator changes to move it), else 8080.
 */
public final class HealthCheck {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_BODY = 500;

    private HealthCheck() {
    }

    public static void main(String[] args) {
        String port = args.length > 0 ? args[0] : System.getenv().getOrDefault("MICRONAUT_SERVER_PORT", "8080");
        // 127.0.0.1, not localhost: the server listens on every address, and localhost may resolve to ::1 first.
        URI uri = URI.create("http://127.0.0.1:" + port.strip() + "/health");
        System.exit(check(uri));
    }

    /** 0 when {@code uri} answers 200, else 1 (the reason on standard error). */
    static int check(URI uri) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return 0;
            }
            String body = response.body() == null ? "" : response.body().replaceAll("\\s+", " ");
            System.err.println(uri + " answered " + response.statusCode() + ": "
                    + (body.length() > MAX_BODY ? body.substring(0, MAX_BODY) + "..." : body));
            return 1;
        } catch (IOException e) {
            System.err.println(uri + " failed: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println(uri + " interrupted");
            return 1;
        }
    }
}
