package io.tocsin.dispatcher.channel.splunkoncall;

import static io.tocsin.dispatcher.channel.splunkoncall.SplunkOnCallNotifierTest.API_KEY;
import static io.tocsin.dispatcher.channel.splunkoncall.SplunkOnCallNotifierTest.ENDPOINT_PATH;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.dispatcher.DispatcherSettings;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.delivery.OutboundTargets;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.dispatcher.testing.ChannelTest;
import io.tocsin.dispatcher.testing.RecordingReceiver.Response;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.wire.FieldError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How each answer of Splunk On-Call is classified, that no reason carries the API key, and validation. */
class SplunkOnCallErrorsTest extends ChannelTest<SplunkOnCallNotifier> {

    SplunkOnCallErrorsTest() {
        super(SplunkOnCallNotifier::new, Response.json(200, SplunkOnCallNotifierTest.SUCCESS));
    }

    private DeliveryResult send(Response answer) {
        server.thenAnswer(answer);
        return notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED), ops(server.url(ENDPOINT_PATH)));
    }

    private static IntegrationConfig ops(String endpoint) {
        return IntegrationConfig.declared("oncall", SplunkOnCallNotifier.SERVICE, Map.of("restEndpointUrl", endpoint, "routingKey", "database"));
    }

    @Test
    void aSuccessBodyOrAnyOther2xxIsDelivered() {
        assertThat(send(Response.json(200, SplunkOnCallNotifierTest.SUCCESS))).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        assertThat(send(new Response(200, Map.of(), ""))).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        assertThat(send(new Response(202, Map.of("Content-Type", "text/html"), "<html>ok</html>"))).isEqualTo(DeliveryResult.Delivered.INSTANCE);
    }

    @Test
    void a200WhoseBodySaysFailureIsAPermanentConfigurationFailure() {
        DeliveryResult result = send(Response.json(200, "{\"result\":\"failure\",\"message\":\"Missing fields: routing key invalid\"}"));

        assertThat(result).isEqualTo(new DeliveryResult.Permanent(Failure.CONFIG,
                "Splunk On-Call refused the alert: Missing fields: routing key invalid", 200));
        assertThat(send(Response.json(200, "{\"result\":\"FAILURE\"}")))
                .isEqualTo(new DeliveryResult.Permanent(Failure.CONFIG, "Splunk On-Call refused the alert", 200));
    }

    @Test
    void clientErrorsArePermanentWithTheServicesMessage() {
        assertThat(send(Response.json(400, "{\"result\":\"failure\",\"message\":\"Could not parse the JSON body\"}")))
                .isEqualTo(new DeliveryResult.Permanent(Failure.CLIENT, "HTTP 400: Could not parse the JSON body", 400));
        assertThat(send(Response.json(401, "{\"result\":\"failure\",\"message\":\"Unauthorized\"}")))
                .isEqualTo(new DeliveryResult.Permanent(Failure.AUTH, "HTTP 401: Unauthorized", 401));
        assertThat(send(new Response(403, Map.of(), ""))).isEqualTo(new DeliveryResult.Permanent(Failure.AUTH, "HTTP 403", 403));
        assertThat(send(new Response(404, Map.of("Content-Type", "text/html"), "<h1>Not Found</h1>")))
                .isEqualTo(new DeliveryResult.Permanent(Failure.CLIENT, "HTTP 404", 404));
    }

    @Test
    void rateLimitingAndServerErrorsAreRetryable() {
        assertThat(send(new Response(429, Map.of("Retry-After", "30"), "")))
                .isEqualTo(new DeliveryResult.Retryable(Failure.RATE_LIMITED, "HTTP 429", 429, Optional.of(Duration.ofSeconds(30))));
        assertThat(send(Response.json(500, "{\"result\":\"failure\",\"message\":\"Internal error\"}")))
                .isEqualTo(new DeliveryResult.Retryable(Failure.SERVER, "HTTP 500: Internal error", 500, Optional.empty()));
        assertThat(send(new Response(503, Map.of(), "")))
                .isEqualTo(new DeliveryResult.Retryable(Failure.SERVER, "HTTP 503", 503, Optional.empty()));
    }

    @Test
    void aRefusedConnectionIsRetryable() throws Exception {
        int port = freePort();
        DeliveryResult result = notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED), ops("http://127.0.0.1:" + port + ENDPOINT_PATH));

        assertThat(result).isInstanceOf(DeliveryResult.Retryable.class);
        assertThat(((DeliveryResult.Retryable) result).failure()).isEqualTo(Failure.CONNECT);
    }

    @Test
    void aDeniedTargetIsRefusedBeforeAnyRequest() {
        JsonHttpSender guarded = new JsonHttpSender(DispatcherSettings.defaults(), new OutboundTargets(List.of("127.0.0.0/8"), List.of()));
        try {
            DeliveryResult result = new SplunkOnCallNotifier(guarded).notify(TestEvents.event("1", AlarmEventStatus.CREATED), ops(server.url(ENDPOINT_PATH)));
            assertThat(result).isInstanceOf(DeliveryResult.Permanent.class);
            assertThat(((DeliveryResult.Permanent) result).failure()).isEqualTo(Failure.CONFIG);
            assertThat(server.requests()).isEmpty();
        } finally {
            guarded.close();
        }
    }

    @Test
    void noReasonEverContainsTheApiKey() throws Exception {
        List<DeliveryResult> results = new ArrayList<>();
        String echo = "{\"result\":\"failure\",\"message\":\"no integration for " + server.url(ENDPOINT_PATH) + "/database\"}";
        results.add(send(Response.json(200, echo)));
        for (int status : new int[] {301, 400, 401, 404, 429, 500, 503}) {
            results.add(send(Response.json(status, echo)));
        }
        results.addAll(deliverToUnusableUrls(SplunkOnCallErrorsTest::ops, ENDPOINT_PATH));

        assertThat(results).hasSize(11).allSatisfy(result -> {
            assertThat(result).isNotInstanceOf(DeliveryResult.Delivered.class);
            assertThat(result.reason()).doesNotContain(API_KEY);
        });
        assertThat(results.getFirst().reason()).contains("***");
    }

    @Test
    void validationNamesEachBadSettingWithoutEchoingTheEndpoint() {
        Map<String, String> none = new HashMap<>();
        assertThat(notifier.validate(none)).extracting(FieldError::field).containsExactlyInAnyOrder("restEndpointUrl", "routingKey");

        for (String endpoint : new String[] {"", "ftp://alert.example.org/alert/" + API_KEY, "alert/" + API_KEY,
                "https://alert.example.org/alert/" + API_KEY + "?x=1", "https:///" + API_KEY, "https://alert.example.org"}) {
            assertThat(notifier.validate(Map.of("restEndpointUrl", endpoint, "routingKey", "database"))).singleElement().satisfies(error -> {
                assertThat(error.field()).isEqualTo("restEndpointUrl");
                assertThat(error.message()).doesNotContain(API_KEY);
            });
        }
        for (String routingKey : new String[] {"a/b", "two words", "x?y", "k".repeat(257)}) {
            assertThat(notifier.validate(Map.of("restEndpointUrl", "https://alert.victorops.com" + ENDPOINT_PATH, "routingKey", routingKey)))
                    .extracting(FieldError::field).containsExactly("routingKey");
        }
        assertThat(notifier.validate(Map.of("restEndpointUrl", "https://alert.victorops.com" + ENDPOINT_PATH, "routingKey", "database",
                "link", "javascript:alert(1)"))).extracting(FieldError::field).containsExactly("link");
        assertThat(notifier.validate(Map.of("restEndpointUrl", "https://alert.victorops.com" + ENDPOINT_PATH, "routingKey", "database",
                "link", "https://tocsin.example.org/alarms/{alarmKey}"))).isEmpty();
    }

    @Test
    void invalidSettingsAtSendTimeArePermanentConfigurationFailures() {
        DeliveryResult result = notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED),
                IntegrationConfig.declared("oncall", SplunkOnCallNotifier.SERVICE, Map.of("restEndpointUrl", "https://h" + ENDPOINT_PATH)));

        assertThat(result).isInstanceOf(DeliveryResult.Permanent.class);
        assertThat(((DeliveryResult.Permanent) result).failure()).isEqualTo(Failure.CONFIG);
        assertThat(result.reason()).doesNotContain(API_KEY).contains("routingKey");
        assertThat(server.requests()).isEmpty();
    }
}
