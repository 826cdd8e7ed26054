package io.tocsin.dispatcher.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tocsin.dispatcher.DispatcherSettings;
import io.tocsin.dispatcher.IntegrationConfig;
import io.tocsin.dispatcher.channel.webhook.WebhookNotifier;
import io.tocsin.dispatcher.testing.RecordingReceiver;
import io.tocsin.dispatcher.testing.RecordingReceiver.Response;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeliveryEngineTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AlarmEvent event = TestEvents.event("470", AlarmEventStatus.CREATED);
    private RecordingReceiver receiver;
    private IntegrationConfig hook;
    private JsonHttpSender sender;

    @BeforeEach
    void start() throws Exception {
        receiver = new RecordingReceiver();
        hook = TestEvents.webhook("hook", receiver.url("/hook"));
    }

    @AfterEach
    void stop() {
        receiver.close();
        if (sender != null) {
            sender.close();
        }
    }

    private DeliveryEngine engine(Duration initialBackoff, Duration maxBackoff, Duration deadline) {
        DispatcherSettings settings = new DispatcherSettings("g", initialBackoff, maxBackoff, deadline, Duration.ofSeconds(5), true);
        sender = new JsonHttpSender(settings);
        return new DeliveryEngine(settings, meters);
    }

    private WebhookNotifier notifier() {
        return new WebhookNotifier(sender);
    }

    private double deliveries(String outcome) {
        var counter = meters.find("tocsin.dispatcher.deliveries").tags("integration", "hook", "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void retriesUntilDelivered() throws Exception {
        receiver.thenAnswer(Response.status(503), Response.status(503));
        DeliveryEngine engine = engine(Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(10));

        DeliveryResult result = engine.deliver(notifier(), event, hook);

        assertThat(result).isInstanceOf(DeliveryResult.Delivered.class);
        assertThat(receiver.requests()).hasSize(3);
        assertThat(receiver.bodies()).containsOnly(receiver.bodies().getFirst());
        assertThat(deliveries("delivered")).isEqualTo(1);
        assertThat(meters.find("tocsin.dispatcher.delivery.attempts").tags("result", "retryable").counter().count()).isEqualTo(2);
    }

    @Test
    void honoursRetryAfter() throws Exception {
        receiver.thenAnswer(new Response(429, Map.of("Retry-After", "1")));
        DeliveryEngine engine = engine(Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(10));

        assertThat(engine.deliver(notifier(), event, hook)).isInstanceOf(DeliveryResult.Delivered.class);

        List<RecordingReceiver.Request> requests = receiver.requests();
        assertThat(requests).hasSize(2);
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void givesUpWithTheLastRetryableFailureOnceTheDeadlinePasses() throws Exception {
        receiver.byDefault(Response.status(503));
        DeliveryEngine engine = engine(Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(400));
        long start = System.nanoTime();

        DeliveryResult result = engine.deliver(notifier(), event, hook);

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(result).isEqualTo(new DeliveryResult.Retryable("HTTP 503", Optional.empty()));
        assertThat(took).isBetween(Duration.ofMillis(400), Duration.ofSeconds(3));
        assertThat(receiver.requests().size()).isGreaterThanOrEqualTo(4);
        assertThat(deliveries("gave_up")).isEqualTo(1);
        assertThat(deliveries("delivered")).isZero();
    }

    @Test
    void givesUpAtOnceWhenRetryAfterIsBeyondTheDeadline() throws Exception {
        receiver.byDefault(new Response(503, Map.of("Retry-After", "3600")));
        DeliveryEngine engine = engine(Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(30));

        DeliveryResult result = engine.deliver(notifier(), event, hook);

        assertThat(result).isEqualTo(new DeliveryResult.Retryable("HTTP 503", Optional.of(Duration.ofHours(1))));
        assertThat(receiver.requests()).hasSize(1);
    }

    @Test
    void doesNotRetryAPermanentRefusal() throws Exception {
        receiver.byDefault(Response.status(400));
        DeliveryEngine engine = engine(Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(10));

        assertThat(engine.deliver(notifier(), event, hook)).isEqualTo(new DeliveryResult.Permanent("HTTP 400"));
        assertThat(receiver.requests()).hasSize(1);
        assertThat(deliveries("permanent")).isEqualTo(1);
    }

    @Test
    void anInterruptEndsTheRetriesWithoutAResult() throws Exception {
        receiver.byDefault(Response.status(503));
        DeliveryEngine engine = engine(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMinutes(1));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread worker = Thread.ofPlatform().start(() -> {
            try {
                engine.deliver(notifier(), event, hook);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        while (receiver.requests().isEmpty()) {
            Thread.sleep(10);
        }

        worker.interrupt();
        worker.join(Duration.ofSeconds(5));

        assertThat(worker.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(deliveries("gave_up") + deliveries("delivered") + deliveries("permanent")).isZero();
    }

    @Test
    void waitsAreJitteredAroundTheBackoffAndNeverShorterThanRetryAfter() {
        DeliveryEngine engine = engine(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(10));
        for (int i = 0; i < 100; i++) {
            assertThat(engine.nextWait(Duration.ofSeconds(10), new DeliveryResult.Retryable("x")))
                    .isBetween(Duration.ofSeconds(8), Duration.ofSeconds(12));
        }
        assertThat(engine.nextWait(Duration.ofSeconds(1), new DeliveryResult.Retryable("x", Optional.of(Duration.ofSeconds(30)))))
                .isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> new DispatcherSettings("g", Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ofMinutes(1), Duration.ofSeconds(1), true)).isInstanceOf(IllegalArgumentException.class);
    }
}
