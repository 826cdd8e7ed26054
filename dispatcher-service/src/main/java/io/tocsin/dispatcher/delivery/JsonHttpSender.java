package io.tocsin.dispatcher.delivery;

import io.tocsin.dispatcher.DispatcherSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Map;

/**
 * The HTTP POST of a JSON body shared by HTTP channels: one attempt, classified by
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
        DeliveryResult refused = targets.check(uri.getHost());
        if (refused != null) {
            return refused;
        }
        HttpRequest request;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                    .timeout(settings.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", USER_AGENT)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(builder::header);
            request = builder.build();
        } catch (IllegalArgumentException e) {
            return new DeliveryResult.Permanent(DeliveryResult.Failure.CONFIG, "invalid request: " + e.getClass().getSimpleName());
        }
        try {
            // The answer's body is not needed and could be large: discard it.
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            return HttpStatusClassifier.classify(response.statusCode(), response.headers().firstValue("Retry-After"));
        } catch (HttpTimeoutException e) {
            return new DeliveryResult.Retryable(DeliveryResult.Failure.TIMEOUT, "timed out: " + e.getClass().getSimpleName());
        } catch (IOException e) {
            return new DeliveryResult.Retryable(DeliveryResult.Failure.CONNECT, "connection failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DeliveryResult.Retryable(DeliveryResult.Failure.TIMEOUT, "interrupted");
        }
    }

    @PreDestroy
    @Override
    public void close() {
        client.shutdownNow();
    }
}
