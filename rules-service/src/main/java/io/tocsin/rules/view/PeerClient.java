package io.tocsin.rules.view;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import io.tocsin.common.http.Problem;
import io.tocsin.common.http.ProblemException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks another rules-service instance for its part of a store, over its internal endpoint
 * ({@code /api/v1/internal/stores}), with the caller's own {@code Authorization} (every instance has the same
 * admin token). Each call waits at most {@code tocsin.rules.view.peer-timeout} and is timed in
 * {@code tocsin.rules.view.peer.requests} (tags {@code store}, {@code outcome}: ok, unavailable, error).
 *
 * <p>Error contract: a peer that cannot be reached, does not answer in time or answers 503 gives a
 * {@link StoreUnavailableException} (the caller answers 503: its partitions are being moved or it is starting);
 * any other answer that is not a valid set of entries gives a {@link ProblemException} 502 naming the peer.
 */
@Singleton
public class PeerClient {

    static final String INTERNAL_PATH = "/api/v1/internal/stores/";

    private final HttpClient http;
    private final JsonMapper json;
    private final ViewSettings settings;
    private final MeterRegistry meters;

    public PeerClient(JsonMapper json, ViewSettings settings, MeterRegistry meters) {
        this.json = json;
        this.settings = settings;
        this.meters = meters;
        this.http = HttpClient.newBuilder().connectTimeout(settings.peerTimeout()).version(HttpClient.Version.HTTP_1_1).build();
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /** The peer's entries of {@code partitions}, asynchronously; fails as described in the class comment. */
    public <V extends SpecificRecordBase> CompletableFuture<Map<String, V>> entries(HostInfo peer, ViewStore<V> store,
                                                                                   Set<Integer> partitions, String authorization) {
        String query = "?partitions=" + partitions.stream().sorted().map(String::valueOf).collect(Collectors.joining(","));
        return fetch(peer, store, encode(store.name()) + query, authorization).thenApply(answer -> decode(peer, store, answer));
    }

    /** The peer's value under {@code key} in {@code partition}; fails as described in the class comment. */
    public <V extends SpecificRecordBase> Optional<V> get(HostInfo peer, ViewStore<V> store, String key, int partition,
                                                         String authorization) {
        String path = encode(store.name()) + "/entry?partition=" + partition + "&key=" + encode(key);
        try {
            Map<String, V> entries = fetch(peer, store, path, authorization).thenApply(answer -> decode(peer, store, answer)).join();
            return Optional.ofNullable(entries.get(key));
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private CompletableFuture<StoreEntries> fetch(HostInfo peer, ViewStore<?> store, String pathAndQuery, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + address(peer) + INTERNAL_PATH + pathAndQuery))
                .timeout(settings.peerTimeout())
                .header(HttpHeaders.ACCEPT, "application/json")
                .GET();
        if (authorization != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        Timer.Sample timing = Timer.start(meters);
        // The request timeout covers the wait for the response headers only; a peer that then stalls the body must
        // not hold this request forever either.
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .orTimeout(settings.peerTimeout().toMillis() * 2, java.util.concurrent.TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    try {
                        StoreEntries entries = answer(peer, response, error);
                        timing.stop(timer(store, "ok"));
                        return entries;
                    } catch (StoreUnavailableException e) {
                        timing.stop(timer(store, "unavailable"));
                        throw e;
                    } catch (RuntimeException e) {
                        timing.stop(timer(store, "error"));
                        throw e;
                    }
                });
    }

    private StoreEntries answer(HostInfo peer, HttpResponse<byte[]> response, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            String why = cause instanceof HttpTimeoutException || cause instanceof java.util.concurrent.TimeoutException
                    ? "did not answer within " + settings.peerTimeout().toMillis() + " ms"
                    : cause instanceof IOException ? "cannot be reached (" + cause + ")" : "failed (" + cause + ")";
            throw new StoreUnavailableException("The rules-service instance at " + address(peer) + ", which holds part of the answer, "
                    + why + "; if it is gone its partitions move to the other instances within the session timeout");
        }
        int status = response.statusCode();
        if (status == HttpStatus.OK.getCode()) {
            try {
                return json.readValue(response.body(), StoreEntries.class);
            } catch (IOException | RuntimeException e) {
                throw badGateway(peer, "answered entries that are not valid JSON (" + e.getMessage() + ")");
            }
        }
        String detail = problemDetail(response.body());
        if (status == HttpStatus.SERVICE_UNAVAILABLE.getCode()) {
            throw new StoreUnavailableException("The rules-service instance at " + address(peer) + " cannot answer yet: " + detail);
        }
        if (status == HttpStatus.UNAUTHORIZED.getCode() || status == HttpStatus.FORBIDDEN.getCode()) {
            throw badGateway(peer, "refused the forwarded credentials (every rules-service instance needs the same admin token)");
        }
        throw badGateway(peer, "answered HTTP " + status + (detail.isEmpty() ? "" : ": " + detail));
    }

    private <V extends SpecificRecordBase> Map<String, V> decode(HostInfo peer, ViewStore<V> store, StoreEntries answer) {
        try {
            return answer.decode(store);
        } catch (RuntimeException e) {
            throw badGateway(peer, "answered a " + store.name() + " entry that is not a valid record (" + e.getMessage() + ")");
        }
    }

    private String problemDetail(byte[] body) {
        try {
            Problem problem = json.readValue(body, Problem.class);
            return problem.detail() == null ? "" : problem.detail();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private Timer timer(ViewStore<?> store, String outcome) {
        return Timer.builder("tocsin.rules.view.peer.requests")
                .description("Requests to other rules-service instances for their part of a view query")
                .tag("store", store.name()).tag("outcome", outcome)
                .register(meters);
    }

    private static ProblemException badGateway(HostInfo peer, String what) {
        return new ProblemException(HttpStatus.BAD_GATEWAY, "The rules-service instance at " + address(peer) + " " + what);
    }

    private static String address(HostInfo peer) {
        return peer.host() + ":" + peer.port();
    }

    private static String encode(String text) {
        // URLEncoder writes form encoding: a space is '+', which a path or query would read as a literal plus.
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
