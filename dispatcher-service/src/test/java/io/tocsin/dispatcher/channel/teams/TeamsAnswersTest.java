package io.tocsin.dispatcher.channel.teams;

import static io.tocsin.dispatcher.channel.teams.TeamsNotifierTest.teams;
import static io.tocsin.dispatcher.channel.teams.TeamsNotifierTest.workflowUrl;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.DeliveryResult.Permanent;
import io.tocsin.dispatcher.delivery.DeliveryResult.Retryable;
import io.tocsin.dispatcher.testing.ChannelTest;
import io.tocsin.dispatcher.testing.RecordingReceiver.Response;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEventStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How each answer of a Workflows webhook is classified, and that no reason carries the URL's signature. */
class TeamsAnswersTest extends ChannelTest<TeamsNotifier> {

    TeamsAnswersTest() {
        super(TeamsNotifier::new, TeamsNotifierTest.ACCEPTED);
    }

    private DeliveryResult answeredWith(int status, Map<String, String> headers) {
        server.thenAnswer(new Response(status, headers));
        return notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED), teams(workflowUrl(server), Map.of()));
    }

    @Test
    void acceptedAndOkAreDelivered() {
        assertThat(answeredWith(202, Map.of())).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        assertThat(answeredWith(200, Map.of())).isEqualTo(DeliveryResult.Delivered.INSTANCE);
    }

    @Test
    void aMissingOrDeletedWorkflowIsAConfigurationError() {
        assertThat(answeredWith(404, Map.of())).isEqualTo(new Permanent(Failure.CONFIG,
                "HTTP 404 (no workflow at workflowUrl: deleted, disabled or mistyped)", 404));
        assertThat(answeredWith(410, Map.of())).isEqualTo(new Permanent(Failure.CONFIG,
                "HTTP 410 (no workflow at workflowUrl: deleted, disabled or mistyped)", 410));
    }

    @Test
    void refusedSignaturesAreAuthFailuresAndBadCardsClientErrors() {
        assertThat(answeredWith(401, Map.of())).isEqualTo(new Permanent(Failure.AUTH, "HTTP 401", 401));
        assertThat(answeredWith(403, Map.of())).isEqualTo(new Permanent(Failure.AUTH, "HTTP 403", 403));
        assertThat(answeredWith(400, Map.of())).isEqualTo(new Permanent(Failure.CLIENT, "HTTP 400", 400));
        assertThat(answeredWith(413, Map.of())).isEqualTo(new Permanent(Failure.CLIENT, "HTTP 413", 413));
        assertThat(answeredWith(302, Map.of("Location", "http://127.0.0.1:1/elsewhere"))).isInstanceOf(Permanent.class);
    }

    @Test
    void throttlingWaitsForRetryAfter() {
        assertThat(answeredWith(429, Map.of("Retry-After", "5")))
                .isEqualTo(new Retryable(Failure.RATE_LIMITED, "HTTP 429", 429, Optional.of(Duration.ofSeconds(5))));
        assertThat(answeredWith(429, Map.of())).isEqualTo(new Retryable(Failure.RATE_LIMITED, "HTTP 429", 429, Optional.empty()));
    }

    @Test
    void serverErrorsAndRefusedConnectionsAreRetryable() throws Exception {
        assertThat(answeredWith(502, Map.of())).isEqualTo(new Retryable(Failure.SERVER, "HTTP 502", 502, Optional.empty()));
        assertThat(answeredWith(503, Map.of("Retry-After", "2")))
                .isEqualTo(new Retryable(Failure.SERVER, "HTTP 503", 503, Optional.of(Duration.ofSeconds(2))));
        DeliveryResult refused = notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED),
                teams("http://127.0.0.1:" + freePort() + TeamsNotifierTest.PATH + "?" + TeamsNotifierTest.QUERY, Map.of()));
        assertThat(refused).isInstanceOf(Retryable.class);
        assertThat(((Retryable) refused).failure()).isEqualTo(Failure.CONNECT);
    }

    @Test
    void noReasonEverContainsTheSignature() throws Exception {
        List<DeliveryResult> results = new ArrayList<>();
        for (int status : new int[] {202, 301, 400, 401, 403, 404, 410, 413, 429, 500, 502}) {
            results.add(answeredWith(status, Map.of()));
        }
        results.addAll(deliverToUnusableUrls(url -> teams(url, Map.of()), "/x?sig=" + TeamsNotifierTest.SIG));

        assertThat(results).hasSize(14).allSatisfy(result -> assertThat(result.reason()).doesNotContain(TeamsNotifierTest.SIG).doesNotContain("/x?"));
        assertThat(results.subList(11, 14)).allSatisfy(result -> assertThat(result).isNotInstanceOf(DeliveryResult.Delivered.class));
        assertThat(results.get(12)).isEqualTo(new Permanent(Failure.CONFIG, "teams workflowUrl is missing or not an http(s) URL"));
    }
}
