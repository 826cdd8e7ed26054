package io.tocsin.dispatcher.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.dispatcher.DispatcherSettings;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.dispatcher.delivery.OutboundTargets;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.dispatcher.testing.RecordingReceiver.Response;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The frame of an HTTP channel's tests: before each test, a {@link RecordingReceiver} on 127.0.0.1 playing the
 * service ({@link #server}), a real {@link JsonHttpSender} ({@link #sender}) and the channel's notifier on it
 * ({@link #notifier}); after each, both closed. Point the channel at the server with {@code server.url(path)}.
 *
 * @param <N> the channel's notifier
 */
public abstract class ChannelTest<N extends Notifier> {

    private final Function<JsonHttpSender, N> channel;
    private final Response byDefault;
    private final Duration requestTimeout;

    protected RecordingReceiver server;
    protected JsonHttpSender sender;
    protected N notifier;

    /** Attempts bounded by the default request timeout; the server answers {@code byDefault} to what is not queued. */
    protected ChannelTest(Function<JsonHttpSender, N> channel, Response byDefault) {
        this(channel, byDefault, DispatcherSettings.defaults().requestTimeout());
    }

    /** As above, with attempts that time out after {@code requestTimeout} (short, for a quick timeout test). */
    protected ChannelTest(Function<JsonHttpSender, N> channel, Response byDefault, Duration requestTimeout) {
        this.channel = channel;
        this.byDefault = byDefault;
        this.requestTimeout = requestTimeout;
    }

    @BeforeEach
    final void startService() throws IOException {
        server = new RecordingReceiver(byDefault);
        sender = sender(requestTimeout);
        notifier = channel.apply(sender);
    }

    @AfterEach
    final void stopService() {
        server.close();
        sender.close();
    }

    /** A sender to the targets {@link OutboundTargets#defaults()} allows, whose attempts time out after {@code requestTimeout}. */
    public static JsonHttpSender sender(Duration requestTimeout) {
        DispatcherSettings defaults = DispatcherSettings.defaults();
        return new JsonHttpSender(new DispatcherSettings(defaults.groupId(), defaults.initialBackoff(), defaults.maxBackoff(),
                defaults.deliveryDeadline(), requestTimeout, true), OutboundTargets.defaults());
    }

    /** A sender whose outbound guard denies 127.0.0.0/8, where the test servers listen. */
    public static JsonHttpSender loopbackDeniedSender() {
        return new JsonHttpSender(DispatcherSettings.defaults(), new OutboundTargets(List.of("127.0.0.0/8"), List.of()));
    }

    /**
     * Delivers a CREATED to the URLs no delivery can use, each ending with {@code pathAndQuery} (where a channel's URL
     * holds its secret): a closed local port, which must be refused as retryable {@link Failure#CONNECT}, then an
     * {@code ftp://} URL and one with a space in its host, which must be permanent {@link Failure#CONFIG}.
     *
     * @param integration the channel's integration with the given URL
     * @return the three results, for the caller's checks of their reasons
     */
    protected List<DeliveryResult> deliverToUnusableUrls(Function<String, IntegrationConfig> integration, String pathAndQuery)
            throws IOException {
        AlarmEvent event = TestEvents.event("1", AlarmEventStatus.CREATED);
        List<DeliveryResult> results = List.of(
                notifier.notify(event, integration.apply("http://127.0.0.1:" + freePort() + pathAndQuery)),
                notifier.notify(event, integration.apply("ftp://h" + pathAndQuery)),
                notifier.notify(event, integration.apply("http://bad host" + pathAndQuery)));
        assertThat(results.getFirst()).isInstanceOfSatisfying(DeliveryResult.Retryable.class,
                refused -> assertThat(refused.failure()).isEqualTo(Failure.CONNECT));
        assertThat(results.subList(1, 3)).allSatisfy(result -> assertThat(result).isInstanceOfSatisfying(DeliveryResult.Permanent.class,
                malformed -> assertThat(malformed.failure()).isEqualTo(Failure.CONFIG)));
        return results;
    }

    /** A local port nothing listens on, for a refused connection. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
