package io.tocsin.dispatcher.channel.pagerduty;

import static io.tocsin.dispatcher.channel.pagerduty.PagerDutyFixtures.ROUTING_KEY;
import static io.tocsin.dispatcher.channel.pagerduty.PagerDutyFixtures.integration;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.DeliveryResult.Permanent;
import io.tocsin.dispatcher.delivery.DeliveryResult.Retryable;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.testing.CapturedLogs;
import io.tocsin.dispatcher.testing.ChannelTest;
import io.tocsin.dispatcher.testing.RecordingReceiver.Request;
import io.tocsin.dispatcher.testing.RecordingReceiver.Response;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How each of PagerDuty's documented answers is classified, and that no reason or log line shows the routing key. */
class PagerDutyAnswersTest extends ChannelTest<PagerDutyNotifier> {

    private static final String INVALID = "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\","
            + "\"errors\":[\"Length of 'routing_key' is incorrect (should be 32 characters)\"]}";

    private final AlarmEvent created = TestEvents.event("470", AlarmEventStatus.CREATED);

    PagerDutyAnswersTest() {
        super(PagerDutyNotifier::new, Response.json(202, PagerDutyFixtures.ACCEPTED), Duration.ofSeconds(1));
    }

    private DeliveryResult answer(Response answer) {
        server.thenAnswer(answer);
        return notifier.notify(created, integration(server.url("/v2/enqueue")));
    }

    @Test
    void acceptedIsDelivered() {
        assertThat(answer(Response.json(202, PagerDutyFixtures.ACCEPTED))).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        assertThat(answer(Response.status(200))).as("any 2xx").isEqualTo(DeliveryResult.Delivered.INSTANCE);
    }

    @Test
    void invalidEventIsAPermanentConfigurationErrorQuotingPagerDuty() {
        assertThat(answer(Response.json(400, INVALID))).isEqualTo(new Permanent(Failure.CONFIG, "PagerDuty refused the request, HTTP 400: "
                + "Event object is invalid; Length of 'routing_key' is incorrect (should be 32 characters)", 400));
    }

    @Test
    void otherClientErrorsArePermanentAuthErrorsKeepTheirKind() {
        assertThat(answer(Response.status(404))).isEqualTo(new Permanent(Failure.CONFIG, "PagerDuty refused the request, HTTP 404", 404));
        assertThat(answer(Response.json(413, "{\"message\":\"Request too large\"}")))
                .isEqualTo(new Permanent(Failure.CONFIG, "PagerDuty refused the request, HTTP 413: Request too large", 413));
        assertThat(answer(Response.status(401))).isEqualTo(new Permanent(Failure.AUTH, "PagerDuty refused the request, HTTP 401", 401));
        assertThat(answer(Response.status(403))).isEqualTo(new Permanent(Failure.AUTH, "PagerDuty refused the request, HTTP 403", 403));
    }

    @Test
    void rateLimitedWaitsThirtySecondsUnlessToldOtherwise() {
        assertThat(answer(Response.json(429, "{\"status\":\"throttle event\",\"message\":\"Requests for this service are arriving too quickly.\"}")))
                .isEqualTo(new Retryable(Failure.RATE_LIMITED, "PagerDuty answered HTTP 429: Requests for this service are arriving too quickly.",
                        429, Optional.of(Duration.ofSeconds(30))));
        assertThat(answer(Response.status(429).withHeader("Retry-After", "7")))
                .isEqualTo(new Retryable(Failure.RATE_LIMITED, "PagerDuty answered HTTP 429", 429, Optional.of(Duration.ofSeconds(7))));
    }

    @Test
    void serverErrorsAreRetryable() {
        assertThat(answer(Response.status(500))).isEqualTo(new Retryable(Failure.SERVER, "PagerDuty answered HTTP 500", 500, Optional.empty()));
        assertThat(answer(Response.json(503, "<html>busy</html>")))
                .isEqualTo(new Retryable(Failure.SERVER, "PagerDuty answered HTTP 503", 503, Optional.empty()));
    }

    @Test
    void redirectsAreNotFollowed() {
        DeliveryResult result = answer(Response.status(301).withHeader("Location", server.url("/elsewhere")));

        assertThat(result).isInstanceOf(Permanent.class);
        assertThat(((Permanent) result).failure()).isEqualTo(Failure.CONFIG);
        assertThat(server.requests()).extracting(Request::path).containsExactly("/v2/enqueue");
    }

    @Test
    void refusedConnectionsAndTimeoutsAreRetryable() throws Exception {
        DeliveryResult refused = notifier.notify(created, integration("http://127.0.0.1:" + freePort() + "/v2/enqueue"));
        server.delay(Duration.ofSeconds(2));
        DeliveryResult timedOut = answer(Response.json(202, PagerDutyFixtures.ACCEPTED));

        assertThat(refused).isInstanceOfSatisfying(Retryable.class, r -> assertThat(r.failure()).isEqualTo(Failure.CONNECT));
        assertThat(timedOut).isInstanceOfSatisfying(Retryable.class, r -> assertThat(r.failure()).isEqualTo(Failure.TIMEOUT));
    }

    @Test
    void missingOrBrokenSettingsArePermanentWithoutARequest() {
        IntegrationConfig noKey = IntegrationConfig.declared("pd", "pagerduty", java.util.Map.of("url", server.url("/v2/enqueue")));

        assertThat(notifier.notify(created, noKey)).isEqualTo(new Permanent(Failure.CONFIG, "pagerduty routingKey is not set"));
        assertThat(notifier.notify(created, integration("ftp://127.0.0.1/x")))
                .isEqualTo(new Permanent(Failure.CONFIG, "pagerduty url is not an http(s) URL"));
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void noReasonNorLogLineEverShowsTheRoutingKey() throws Exception {
        String echo = "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\",\"errors\":[\"unknown routing key "
                + ROUTING_KEY + "\"]}";
        List<DeliveryResult> results = new ArrayList<>();
        try (CapturedLogs logs = new CapturedLogs()) {
            for (Response answer : List.of(Response.json(400, echo), Response.json(429, echo), Response.json(500, echo), Response.status(401),
                    Response.status(302), Response.json(202, PagerDutyFixtures.ACCEPTED))) {
                server.thenAnswer(answer);
                results.add(Notifier.attempt(notifier, created, integration(server.url("/v2/enqueue"))));
            }
            results.add(Notifier.attempt(notifier, created, integration("http://127.0.0.1:" + freePort() + "/v2/enqueue")));
            results.add(Notifier.attempt(notifier, created, integration("http://bad host/" + ROUTING_KEY)));
            // A channel that throws (here: built without a sender) is logged with its stack trace by the engine.
            results.add(Notifier.attempt(new PagerDutyNotifier(null), created, integration(server.url("/v2/enqueue"))));

            assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.contains(ROUTING_KEY));
        }
        assertThat(results).hasSize(9).allSatisfy(result -> assertThat(result.reason()).doesNotContain(ROUTING_KEY).doesNotContain("SECRET"));
        assertThat(results.getFirst().reason()).endsWith("unknown routing key [redacted]");
    }
}
