package io.tocsin.dispatcher.channel.opsgenie;

import static io.tocsin.dispatcher.channel.opsgenie.OpsgenieFixtures.ACCEPTED;
import static io.tocsin.dispatcher.channel.opsgenie.OpsgenieFixtures.API_KEY;
import static io.tocsin.dispatcher.channel.opsgenie.OpsgenieFixtures.integration;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.DeliveryResult.Permanent;
import io.tocsin.dispatcher.delivery.DeliveryResult.Retryable;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.testing.CapturedLogs;
import io.tocsin.dispatcher.testing.ChannelTest;
import io.tocsin.dispatcher.testing.RecordingReceiver.Response;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How each of Opsgenie's documented answers is classified, and that no reason or log line shows the API key. */
class OpsgenieAnswersTest extends ChannelTest<OpsgenieNotifier> {

    private static final String UNPROCESSABLE = "{\"message\":\"Request body is not processable. Please check the errors.\","
            + "\"errors\":{\"message\":\"Message can not be empty.\"},\"took\":0.001,\"requestId\":\"r-1\"}";

    private final AlarmEvent created = TestEvents.event("470", AlarmEventStatus.CREATED);

    OpsgenieAnswersTest() {
        super(OpsgenieNotifier::new, Response.json(202, ACCEPTED), Duration.ofSeconds(1));
    }

    private DeliveryResult answer(Response answer) {
        server.thenAnswer(answer);
        return notifier.notify(created, integration(server.url("")));
    }

    @Test
    void anAcceptedRequestIsDeliveredAndItsRequestIdLogged() {
        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(answer(Response.json(202, ACCEPTED))).isEqualTo(DeliveryResult.Delivered.INSTANCE);

            assertThat(logs.lines()).anySatisfy(line -> assertThat(line).contains("43a29c5c-3dbf-4fa4-9c26-f4f71023e120")
                    .contains(created.getEventId()).contains("create"));
        }
        assertThat(answer(Response.status(200).withHeader("X-Request-ID", "r-2"))).as("the id in the header").isEqualTo(DeliveryResult.Delivered.INSTANCE);
    }

    @Test
    void aSuccessWithoutARequestIdIsNotTheAlertApi() {
        assertThat(answer(new Response(200, Map.of("Content-Type", "text/html"), "<html>Sign in</html>"))).isEqualTo(new Permanent(Failure.CONFIG,
                "Opsgenie answered HTTP 200 without a request id: the url does not lead to the Opsgenie Alert API", 200));
        assertThat(answer(Response.json(202, "{\"result\":\"ok\"}"))).isInstanceOf(Permanent.class);
    }

    @Test
    void badRequestsArePermanentConfigurationErrorsQuotingOpsgenie() {
        assertThat(answer(Response.json(422, UNPROCESSABLE))).isEqualTo(new Permanent(Failure.CONFIG, "Opsgenie refused the request, HTTP 422: "
                + "Request body is not processable. Please check the errors.; message: Message can not be empty.", 422));
        assertThat(answer(Response.json(400, "{\"message\":\"Invalid JSON\"}")))
                .isEqualTo(new Permanent(Failure.CONFIG, "Opsgenie refused the request, HTTP 400: Invalid JSON", 400));
        assertThat(answer(Response.json(402, "{\"message\":\"Plan does not allow\"}")))
                .isEqualTo(new Permanent(Failure.CONFIG, "Opsgenie refused the request, HTTP 402: Plan does not allow", 402));
        assertThat(answer(Response.status(404))).isEqualTo(new Permanent(Failure.CONFIG, "Opsgenie refused the request, HTTP 404", 404));
    }

    @Test
    void refusedKeysArePermanentAuthErrors() {
        assertThat(answer(Response.json(401, "{\"message\":\"Key format is not valid!\",\"took\":0.0,\"requestId\":\"r\"}")))
                .isEqualTo(new Permanent(Failure.AUTH, "Opsgenie refused the request, HTTP 401: Key format is not valid!", 401));
        assertThat(answer(Response.json(403, "{\"message\":\"You are not authorized for this operation\",\"code\":40301}")))
                .isEqualTo(new Permanent(Failure.AUTH, "Opsgenie refused the request, HTTP 403: You are not authorized for this operation", 403));
    }

    @Test
    void rateLimitedWaitsForTheBucketsPeriodOrRetryAfter() {
        Response throttled = Response.json(429, "{\"message\":\"You are making too many requests!\"}").withHeader("X-RateLimit-State", "THROTTLED");
        String reason = "Opsgenie answered HTTP 429: You are making too many requests!";

        assertThat(answer(throttled.withHeader("X-RateLimit-Period-In-Sec", "60")))
                .isEqualTo(new Retryable(Failure.RATE_LIMITED, reason, 429, Optional.of(Duration.ofSeconds(60))));
        assertThat(answer(throttled.withHeader("X-RateLimit-Period-In-Sec", "1").withHeader("Retry-After", "5")))
                .isEqualTo(new Retryable(Failure.RATE_LIMITED, reason, 429, Optional.of(Duration.ofSeconds(5))));
        assertThat(answer(throttled)).isEqualTo(new Retryable(Failure.RATE_LIMITED, reason, 429, Optional.empty()));
        assertThat(answer(throttled.withHeader("X-RateLimit-Period-In-Sec", "86400")))
                .as("not a period Opsgenie uses").isEqualTo(new Retryable(Failure.RATE_LIMITED, reason, 429, Optional.empty()));
    }

    @Test
    void serverErrorsAreRetryable() {
        assertThat(answer(Response.json(500, "{\"message\":\"Internal Server Error\"}")))
                .isEqualTo(new Retryable(Failure.SERVER, "Opsgenie answered HTTP 500: Internal Server Error", 500, Optional.empty()));
        assertThat(answer(Response.status(503).withHeader("Retry-After", "3")))
                .isEqualTo(new Retryable(Failure.SERVER, "Opsgenie answered HTTP 503", 503, Optional.of(Duration.ofSeconds(3))));
    }

    @Test
    void refusedConnectionsAndTimeoutsAreRetryable() throws Exception {
        DeliveryResult refused = notifier.notify(created, integration("http://127.0.0.1:" + freePort()));
        server.delay(Duration.ofSeconds(2));
        DeliveryResult timedOut = answer(Response.json(202, ACCEPTED));

        assertThat(refused).isInstanceOfSatisfying(Retryable.class, r -> assertThat(r.failure()).isEqualTo(Failure.CONNECT));
        assertThat(timedOut).isInstanceOfSatisfying(Retryable.class, r -> assertThat(r.failure()).isEqualTo(Failure.TIMEOUT));
    }

    @Test
    void missingOrBrokenSettingsArePermanentWithoutARequest() {
        IntegrationConfig noKey = IntegrationConfig.declared("ops", "opsgenie", Map.of("url", server.url("")));

        assertThat(notifier.notify(created, noKey)).isEqualTo(new Permanent(Failure.CONFIG, "opsgenie apiKey is not set"));
        assertThat(notifier.notify(created, integration("ftp://127.0.0.1/x")))
                .isEqualTo(new Permanent(Failure.CONFIG, "opsgenie url or region is not valid"));
        assertThat(notifier.notify(created, integration(server.url("/?x=1"))))
                .isEqualTo(new Permanent(Failure.CONFIG, "opsgenie url or region is not valid"));
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void noReasonNorLogLineEverShowsTheApiKey() throws Exception {
        String echo = "{\"message\":\"Could not authenticate GenieKey " + API_KEY + "\",\"errors\":{\"apiKey\":\"" + API_KEY + " is disabled\"}}";
        List<DeliveryResult> results = new ArrayList<>();
        try (CapturedLogs logs = new CapturedLogs()) {
            for (Response answer : List.of(Response.json(401, echo), Response.json(422, echo), Response.json(429, echo), Response.json(500, echo),
                    Response.status(302), Response.json(202, ACCEPTED), Response.json(200, echo))) {
                server.thenAnswer(answer);
                results.add(Notifier.attempt(notifier, created, integration(server.url(""))));
            }
            results.add(Notifier.attempt(notifier, TestEvents.event("470", AlarmEventStatus.ENDED), integration(server.url(""))));
            results.add(Notifier.attempt(notifier, created, integration("http://127.0.0.1:" + freePort())));
            results.add(Notifier.attempt(notifier, created, integration("http://bad host/" + API_KEY)));
            results.add(Notifier.attempt(notifier, created, integration(server.url(""), "apiKey", API_KEY + "\r\nX-Injected: 1")));
            // A channel that throws (here: built without a sender) is logged with its stack trace by the engine.
            results.add(Notifier.attempt(new OpsgenieNotifier(null), created, integration(server.url(""))));

            assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.contains(API_KEY) || line.contains("5EC4E7"));
        }
        assertThat(results).hasSize(12).allSatisfy(result -> assertThat(result.reason()).doesNotContain("5EC4E7"));
        assertThat(results.getFirst().reason()).isEqualTo("Opsgenie refused the request, HTTP 401: Could not authenticate GenieKey [redacted]; "
                + "apiKey: [redacted] is disabled");
        assertThat(results.get(10)).isInstanceOf(Permanent.class);
    }
}
