package io.tocsin.dispatcher.channel.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tocsin.dispatcher.DispatcherSettings;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.testing.RecordingReceiver;
import io.tocsin.dispatcher.testing.RecordingReceiver.Response;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.Severity;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookNotifierTest {

    private RecordingReceiver receiver;
    private JsonHttpSender sender;
    private WebhookNotifier notifier;

    @BeforeEach
    void start() throws Exception {
        receiver = new RecordingReceiver();
        DispatcherSettings defaults = DispatcherSettings.defaults();
        sender = new JsonHttpSender(new DispatcherSettings(defaults.groupId(), defaults.initialBackoff(),
                defaults.maxBackoff(), defaults.deliveryDeadline(), Duration.ofSeconds(5), true), io.tocsin.dispatcher.delivery.OutboundTargets.defaults());
        notifier = new WebhookNotifier(sender);
    }

    @AfterEach
    void stop() {
        receiver.close();
        sender.close();
    }

    @Test
    void postsExactlyClusterControlsBodyWithANumericId() {
        AlarmEvent event = TestEvents.event("470", AlarmEventStatus.CREATED);
        long before = Instant.now().getEpochSecond();

        DeliveryResult result = notifier.notify(event, TestEvents.webhook("ops", receiver.url("/hook")));

        assertThat(result).isInstanceOf(DeliveryResult.Delivered.class);
        RecordingReceiver.Request request = receiver.requests().getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/hook");
        assertThat(request.body()).isEqualTo("{\"id\":470,\"status\":\"CREATED\",\"component\":\"Node\","
                + "\"hostname\":\"db1.example.org\",\"title\":\"Server db1 reports: Disconnected\","
                + "\"message\":\"Server db1:3306 is disconnected.\",\"recommendation\":\"Restart failed node\","
                + "\"severity\":\"CRITICAL\"}");
        assertThat(request.headers()).containsEntry("content-type", "application/json")
                .containsEntry("user-agent", "Tocsin/0.1")
                .containsEntry("webhook-id", event.getEventId());
        long timestamp = Long.parseLong(request.headers().get("webhook-timestamp"));
        assertThat(timestamp).isBetween(before, Instant.now().getEpochSecond());
    }

    @Test
    void writesANonNumericIdAsAString() {
        AlarmEvent event = TestEvents.event("disk-full-7", AlarmEventStatus.CREATED, Severity.WARNING, "c1", List.of());

        assertThat(notifier.notify(event, TestEvents.webhook("ops", receiver.url("/hook")))).isInstanceOf(DeliveryResult.Delivered.class);

        assertThat(receiver.bodies().getFirst()).startsWith("{\"id\":\"disk-full-7\",\"status\":\"CREATED\",")
                .endsWith(",\"severity\":\"WARNING\"}");
    }

    @Test
    void idsTooLongForALongStayStrings() {
        assertThat(WebhookBody.id("123456789012345678")).isEqualTo(123456789012345678L);
        assertThat(WebhookBody.id("1234567890123456789")).isEqualTo("1234567890123456789");
        assertThat(WebhookBody.id("-1")).isEqualTo("-1");
    }

    @Test
    void postsEndedWithTheSameIdAndItsOwnWebhookId() {
        AlarmEvent created = TestEvents.event("470", AlarmEventStatus.CREATED);
        AlarmEvent ended = TestEvents.event("470", AlarmEventStatus.ENDED);
        IntegrationConfig ops = TestEvents.webhook("ops", receiver.url("/hook"));

        notifier.notify(created, ops);
        notifier.notify(ended, ops);

        assertThat(receiver.bodies()).hasSize(2);
        assertThat(receiver.bodies().get(1)).startsWith("{\"id\":470,\"status\":\"ENDED\",\"component\":\"Node\",");
        assertThat(receiver.requests().get(1).headers()).containsEntry("webhook-id", ended.getEventId());
        assertThat(ended.getEventId()).isNotEqualTo(created.getEventId());
    }

    @Test
    void keepsTheWebhookIdAcrossRetries() {
        receiver.thenAnswer(Response.status(503));
        AlarmEvent event = TestEvents.event("470", AlarmEventStatus.CREATED);
        IntegrationConfig ops = TestEvents.webhook("ops", receiver.url("/hook"));

        notifier.notify(event, ops);
        notifier.notify(event, ops);

        assertThat(receiver.requests()).extracting(r -> r.headers().get("webhook-id"))
                .containsExactly(event.getEventId(), event.getEventId());
    }

    @Test
    void serviceUnavailableIsRetryable() {
        receiver.byDefault(Response.status(503));

        DeliveryResult result = notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED), TestEvents.webhook("ops", receiver.url("/hook")));

        assertThat(result).isEqualTo(new DeliveryResult.Retryable(DeliveryResult.Failure.SERVER, "HTTP 503", 503, java.util.Optional.empty()));
    }

    @Test
    void notFoundIsPermanent() {
        receiver.byDefault(Response.status(404));

        DeliveryResult result = notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED), TestEvents.webhook("ops", receiver.url("/hook")));

        assertThat(result).isEqualTo(new DeliveryResult.Permanent(DeliveryResult.Failure.CLIENT, "HTTP 404", 404));
    }

    @Test
    void redirectsAreNotFollowed() {
        receiver.byDefault(new Response(302, java.util.Map.of("Location", receiver.url("/elsewhere"))));

        DeliveryResult result = notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED), TestEvents.webhook("ops", receiver.url("/hook")));

        assertThat(result).isInstanceOf(DeliveryResult.Permanent.class);
        assertThat(receiver.requests()).extracting(RecordingReceiver.Request::path).containsExactly("/hook");
    }

    @Test
    void refusedConnectionIsRetryable() throws Exception {
        DeliveryResult result = notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED),
                TestEvents.webhook("ops", "http://127.0.0.1:" + freePort() + "/hook"));

        assertThat(result).isInstanceOf(DeliveryResult.Retryable.class);
        assertThat(result.reason()).startsWith("connection failed: ");
    }

    @Test
    void noReasonEverContainsTheUrlsSecret() throws Exception {
        AlarmEvent event = TestEvents.event("1", AlarmEventStatus.CREATED);
        List<DeliveryResult> results = new ArrayList<>();
        for (int status : new int[] {200, 301, 400, 404, 429, 500, 503}) {
            receiver.thenAnswer(Response.status(status));
            results.add(notifier.notify(event, TestEvents.webhook("ops", receiver.url("/hooks/SECRET123"))));
        }
        results.add(notifier.notify(event, TestEvents.webhook("ops", "http://127.0.0.1:" + freePort() + "/hooks/SECRET123")));
        results.add(notifier.notify(event, TestEvents.webhook("ops", "ftp://127.0.0.1/hooks/SECRET123")));
        results.add(notifier.notify(event, TestEvents.webhook("ops", "http://bad host/hooks/SECRET123")));

        assertThat(results).hasSize(10).allSatisfy(result -> assertThat(result.reason()).doesNotContain("SECRET123"));
        assertThat(results.subList(7, 10)).allSatisfy(result -> assertThat(result).isNotInstanceOf(DeliveryResult.Delivered.class));
    }

    @Test
    void validationRejectsMissingAndNonHttpUrlsWithoutEchoingThem() {
        for (String url : new String[] {null, "", "ftp://host/hooks/SECRET123", "/hooks/SECRET123", "http:///SECRET123"}) {
            java.util.Map<String, String> settings = new java.util.HashMap<>();
            settings.put("url", url);
            assertThat(notifier.validate(settings)).singleElement().satisfies(error -> {
                assertThat(error.field()).isEqualTo("url");
                assertThat(error.message()).doesNotContain("SECRET123");
            });
        }
        assertThat(notifier.validate(java.util.Map.of("url", "https://hooks.example.org/hooks/SECRET123"))).isEmpty();
    }

    private static IntegrationConfig webhook(java.util.Map<String, String> settings) {
        return IntegrationConfig.declared("ops", "webhook", settings);
    }

    @Test
    void extendedFormatAddsWhatTocsinKnowsAfterClusterControlsFields() {
        AlarmEvent event = AlarmEvent.newBuilder(TestEvents.event("db-7", AlarmEventStatus.ENDED))
                .setLabels(java.util.Map.of("dc", "eu1")).build();

        notifier.notify(event, webhook(java.util.Map.of("url", receiver.url("/hook"), "format", "extended")));

        assertThat(receiver.requests().getFirst().body()).isEqualTo("{\"id\":\"db-7\",\"status\":\"ENDED\",\"component\":\"Node\","
                + "\"hostname\":\"db1.example.org\",\"title\":\"Server db1 reports: Disconnected\","
                + "\"message\":\"Server db1:3306 is disconnected.\",\"recommendation\":\"Restart failed node\","
                + "\"severity\":\"CRITICAL\",\"cluster\":\"prod-galera\",\"type\":\"MySqlDisconnected\",\"categories\":[\"Node\"],"
                + "\"source\":\"cmon\",\"alarmKey\":\"cmon:db-7\",\"eventId\":\"cmon:db-7/1735787045000/3\","
                + "\"openedAt\":\"2025-01-02T03:04:05Z\",\"eventTime\":\"2025-01-02T03:04:08Z\",\"labels\":{\"dc\":\"eu1\"}}");
    }

    @Test
    void signsPerStandardWebhooksAndSendsCustomHeaders() throws Exception {
        byte[] key = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String secret = "whsec_" + java.util.Base64.getEncoder().encodeToString(key);
        AlarmEvent event = TestEvents.event("470", AlarmEventStatus.CREATED);

        notifier.notify(event, webhook(java.util.Map.of("url", receiver.url("/hook"), "secret", secret, "header.X-Api-Key", "k-123")));

        RecordingReceiver.Request request = receiver.requests().getFirst();
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        String signed = request.headers().get("webhook-id") + "." + request.headers().get("webhook-timestamp") + "." + request.body();
        String expected = "v1," + java.util.Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(request.headers()).containsEntry("webhook-signature", expected).containsEntry("x-api-key", "k-123")
                .containsEntry("webhook-id", event.getEventId());
    }

    @Test
    void validationNamesBadFormatShortSecretAndReservedHeaders() {
        assertThat(notifier.validate(java.util.Map.of("url", "https://h/x", "format", "xml", "secret", "short",
                "header.Content-Type", "text/plain", "header.X-Ok", "a\r\nInjected: 1")))
                .extracting(io.tocsin.schema.wire.FieldError::field)
                .containsExactlyInAnyOrder("format", "secret", "header.Content-Type", "header.X-Ok");
        assertThat(notifier.isSecret("header.X-Api-Key")).isTrue();
        assertThat(notifier.isSecret("url")).isTrue();
        assertThat(notifier.isSecret("format")).isFalse();
    }

    @Test
    void deniedTargetsAreRefusedBeforeAnyConnection() {
        JsonHttpSender guarded = new JsonHttpSender(DispatcherSettings.defaults(),
                new io.tocsin.dispatcher.delivery.OutboundTargets(List.of("127.0.0.0/8"), List.of()));
        try {
            DeliveryResult result = new WebhookNotifier(guarded).notify(TestEvents.event("1", AlarmEventStatus.CREATED),
                    TestEvents.webhook("ops", receiver.url("/hook")));
            assertThat(result).isInstanceOf(DeliveryResult.Permanent.class);
            assertThat(((DeliveryResult.Permanent) result).failure()).isEqualTo(DeliveryResult.Failure.CONFIG);
            assertThat(result.reason()).contains("127.0.0.1").contains("not allowed");
            assertThat(receiver.requests()).isEmpty();
        } finally {
            guarded.close();
        }
        io.tocsin.dispatcher.delivery.OutboundTargets defaults = io.tocsin.dispatcher.delivery.OutboundTargets.defaults();
        assertThat(defaults.refusal("169.254.169.254")).as("cloud metadata").isPresent();
        assertThat(defaults.refusal("fe80::1")).isPresent();
        assertThat(defaults.refusal("127.0.0.1")).as("loopback allowed by default").isEmpty();
        assertThat(defaults.refusal("10.1.2.3")).as("private ranges allowed by default").isEmpty();
        io.tocsin.dispatcher.delivery.OutboundTargets override = new io.tocsin.dispatcher.delivery.OutboundTargets(
                List.of("169.254.0.0/16"), List.of("169.254.10.0/24"));
        assertThat(override.refusal("169.254.10.5")).as("an allow entry overrides a broader deny").isEmpty();
        assertThat(override.refusal("10.0.0.1")).as("with an allow list, only it is allowed").isPresent();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
