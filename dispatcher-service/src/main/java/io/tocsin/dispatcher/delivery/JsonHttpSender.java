package io.tocsin.dispatcher.delivery;

import io.tocsin.dispatcher.DispatcherSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Map;

/**
 * The HTTP exchange shared by HTTP channels: a POST of a JSON body ({@link #post}) or any request whose answer
 * the channel reads ({@link #exchange}); one attempt, classified by
 * {@link HttpStatusClassifier}, to a target {@link OutboundTargets} allows. Redirects are never followed and every attempt is bounded by
 * {@code tocsin.dispatcher.request-timeout}, so one dead receiver cannot hold the dispatcher indefinitely.
 *
 * <p>Error contract: never throws for a failed attempt. Connection failures and timeouts are
 * {@link DeliveryResult.Retryable}; a request that cannot even be built (bad header) is
 * {@link DeliveryResult.Permanent}. Reasons name the exception class only: exception messages of the JDK
 * client may contain the URL, which may contain a token. An interrupt leaves the flag set and returns
 * Retryable.
 */
@Singleton
public class JsonHttpSender implements AutoCloseable {

    static final String USER_AGENT = "Tocsin/0.1";
    /** How much of an answer's body a channel gets to read: services answer in a few hundred bytes. */
    public static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final HttpClient client;
    private final DispatcherSettings settings;
    private final OutboundTargets targets;

    public JsonHttpSender(DispatcherSettings settings, OutboundTargets targets) {
        this.settings = settings;
        this.targets = targets;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.requestTimeout())
                .build();
    }

    /** POSTs {@code body} as {@code application/json} to {@code uri} with the extra {@code headers}. */
    public DeliveryResult post(URI uri, byte[] body, Map<String, String> headers) {
        return exchange("POST", uri, body, headers).result();
    }

    /**
     * One request of any method ({@code body} null for none; sent as {@code application/json} unless
     * {@code headers} name another {@code Content-Type}), returning the answer for the channel to read. Same
     * guarantees as {@link #post}: target checked, no redirects, bounded by the request timeout, never throws.
     */
    public HttpOutcome exchange(String method, URI uri, byte[] body, Map<String, String> headers) {
        DeliveryResult refused = targets.check(uri.getHost());
        if (refused != null) {
            return HttpOutcome.failed(refused);
        }
        HttpRequest request;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                    .timeout(settings.requestTimeout())
                    .header("User-Agent", USER_AGENT)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            if (body != null && headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
                builder.header("Content-Type", "application/json");
            }
            headers.forEach(builder::header);
            request = builder.build();
        } catch (IllegalArgumentException e) {
            return HttpOutcome.failed(new DeliveryResult.Permanent(DeliveryResult.Failure.CONFIG, "invalid request: " + e.getClass().getSimpleName()));
        }
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            byte[] answer;
            try (InputStream in = response.body()) {
                // Only the start is read; closing the stream drops the rest (an answer can be large or endless).
                answer = in.readNBytes(MAX_ANSWER_BYTES);
            } catch (IOException e) {
                answer = new byte[0]; // the status is what counts; a broken body only loses the details
            }
            return new HttpOutcome(response.statusCode(), response.headers(), answer, null);
        } catch (HttpTimeoutException e) {
            return HttpOutcome.failed(new DeliveryResult.Retryable(DeliveryResult.Failure.TIMEOUT, "timed out: " + e.getClass().getSimpleName()));
        } catch (IOException e) {
            return HttpOutcome.failed(new DeliveryResult.Retryable(DeliveryResult.Failure.CONNECT, "connection failed: " + e.getClass().getSimpleName()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HttpOutcome.failed(new DeliveryResult.Retryable(DeliveryResult.Failure.TIMEOUT, "interrupted"));
        }
    }

    @PreDestroy
    @Override
    public void close() {
        client.shutdownNow();
    }
}
