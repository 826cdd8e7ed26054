package io.tocsin.dispatcher.channel.servicenow;

import static io.tocsin.dispatcher.channel.servicenow.ServiceNowIncidentTest.CREATED;
import static io.tocsin.dispatcher.channel.servicenow.ServiceNowIncidentTest.NONE_OPEN;
import static io.tocsin.dispatcher.channel.servicenow.ServiceNowIncidentTest.ONE_OPEN;
import static io.tocsin.dispatcher.channel.servicenow.ServiceNowIncidentTest.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.dispatcher.DispatcherSettings;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.delivery.OutboundTargets;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.dispatcher.testing.ChannelTest;
import io.tocsin.dispatcher.testing.RecordingReceiver;
import io.tocsin.dispatcher.testing.RecordingReceiver.Response;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.wire.FieldError;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How each ServiceNow answer is classified, that no reason carries a secret, and validation. */
class ServiceNowErrorsTest extends ChannelTest<ServiceNowNotifier> {

    static final String TOKEN = "oauth-T0KEN-value";
    ServiceNowErrorsTest() {
        super(ServiceNowNotifier::new, NONE_OPEN);
    }

    private IntegrationConfig snow() {
        return ServiceNowIncidentTest.integration(server.url(""), Map.of());
    }

    private DeliveryResult create(Response... answers) {
        server.thenAnswer(answers);
        return notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED), snow());
    }

    private static Response error(int status, String message, String detail) {
        return Response.json(status, "{\"error\":{\"message\":\"" + message + "\",\"detail\":\"" + detail + "\"},\"status\":\"failure\"}");
    }

    @Test
    void authenticationAndAuthorisationFailuresArePermanentWithTheServicesMessage() {
        assertThat(create(error(401, "User Not Authenticated", "Required to provide Auth information")))
                .isEqualTo(new DeliveryResult.Permanent(Failure.AUTH, "HTTP 401: User Not Authenticated (Required to provide Auth information)", 401));
        assertThat(server.requests()).as("no create after a failed lookup").extracting(RecordingReceiver.Request::method).containsExactly("GET");
        assertThat(create(NONE_OPEN, error(403, "Operation Failed", "ACL Exception Insert Failed due to security constraints")))
                .isEqualTo(new DeliveryResult.Permanent(Failure.AUTH, "HTTP 403: Operation Failed (ACL Exception Insert Failed due to security constraints)", 403));
        server.thenAnswer(ONE_OPEN, error(403, "Operation Failed", "Data Policy Exception: the following fields are mandatory: Resolution code"));
        assertThat(notifier.notify(TestEvents.event("470", AlarmEventStatus.ENDED), snow())).isEqualTo(new DeliveryResult.Permanent(Failure.AUTH,
                "HTTP 403: Operation Failed (Data Policy Exception: the following fields are mandatory: Resolution code)", 403));
    }

    @Test
    void otherClientErrorsArePermanent() {
        assertThat(create(NONE_OPEN, error(400, "Invalid request", "Request body is not valid JSON")))
                .isEqualTo(new DeliveryResult.Permanent(Failure.CLIENT, "HTTP 400: Invalid request (Request body is not valid JSON)", 400));
        assertThat(create(error(404, "No Record found", "No Record found")))
                .isEqualTo(new DeliveryResult.Permanent(Failure.CLIENT, "HTTP 404: No Record found", 404));
        assertThat(create(new Response(415, Map.of(), ""))).isEqualTo(new DeliveryResult.Permanent(Failure.CLIENT, "HTTP 415", 415));
    }

    @Test
    void rateLimitingHonoursRetryAfterElseTheRateLimitReset() {
        assertThat(create(new Response(429, Map.of("Retry-After", "42", "Content-Type", "application/json"),
                "{\"error\":{\"message\":\"Rate limit exceeded\"},\"status\":\"failure\"}")))
                .isEqualTo(new DeliveryResult.Retryable(Failure.RATE_LIMITED, "HTTP 429: Rate limit exceeded", 429, Optional.of(Duration.ofSeconds(42))));

        long reset = Instant.now().getEpochSecond() + 120;
        DeliveryResult result = create(new Response(429, Map.of("X-RateLimit-Reset", Long.toString(reset), "X-RateLimit-Limit", "100"), ""));
        assertThat(result).isInstanceOf(DeliveryResult.Retryable.class);
        DeliveryResult.Retryable retryable = (DeliveryResult.Retryable) result;
        assertThat(retryable.failure()).isEqualTo(Failure.RATE_LIMITED);
        assertThat(retryable.retryAfter()).hasValueSatisfying(wait -> assertThat(wait).isBetween(Duration.ofSeconds(115), Duration.ofSeconds(120)));
    }

    @Test
    void serverErrorsAndNonApiAnswersAreRetryable() {
        assertThat(create(error(500, "Internal server error", "")))
                .isEqualTo(new DeliveryResult.Retryable(Failure.SERVER, "HTTP 500: Internal server error", 500, Optional.empty()));
        assertThat(create(NONE_OPEN, new Response(502, Map.of(), ""))).isEqualTo(new DeliveryResult.Retryable(Failure.SERVER, "HTTP 502", 502, Optional.empty()));

        int before = server.requests().size();
        assertThat(create(new Response(200, Map.of("Content-Type", "text/html"), "<html>Your instance is hibernating</html>")))
                .isEqualTo(new DeliveryResult.Retryable(Failure.SERVER, "ServiceNow answered HTTP 200 without a list of incidents", 200, Optional.empty()));
        assertThat(server.requests()).hasSize(before + 1);
        assertThat(create(NONE_OPEN, new Response(201, Map.of(), "")))
                .isEqualTo(new DeliveryResult.Retryable(Failure.SERVER, "ServiceNow answered HTTP 201 without the created incident", 201, Optional.empty()));
        assertThat(create(Response.json(200, "{\"result\":[{\"sys_id\":\"../../sys_user\"}]}")))
                .isEqualTo(new DeliveryResult.Retryable(Failure.SERVER, "ServiceNow answered HTTP 200 without a valid sys_id", 200, Optional.empty()));
        assertThat(create(NONE_OPEN, CREATED)).isEqualTo(DeliveryResult.Delivered.INSTANCE);
    }

    @Test
    void aRefusedConnectionIsRetryableAndADeniedTargetIsPermanent() throws Exception {
        int closed = freePort();
        DeliveryResult refused = notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED),
                ServiceNowIncidentTest.integration("http://127.0.0.1:" + closed, Map.of()));
        assertThat(refused).isInstanceOf(DeliveryResult.Retryable.class);
        assertThat(((DeliveryResult.Retryable) refused).failure()).isEqualTo(Failure.CONNECT);

        JsonHttpSender guarded = new JsonHttpSender(DispatcherSettings.defaults(), new OutboundTargets(List.of("127.0.0.0/8"), List.of()));
        try {
            DeliveryResult denied = new ServiceNowNotifier(guarded).notify(TestEvents.event("1", AlarmEventStatus.CREATED), snow());
            assertThat(denied).isInstanceOf(DeliveryResult.Permanent.class);
            assertThat(((DeliveryResult.Permanent) denied).failure()).isEqualTo(Failure.CONFIG);
            assertThat(server.requests()).isEmpty();
        } finally {
            guarded.close();
        }
    }

    @Test
    void noReasonEverContainsThePasswordOrTheToken() {
        IntegrationConfig oauth = IntegrationConfig.declared("snow", ServiceNowNotifier.SERVICE, Map.of("instanceUrl", server.url(""), "oauthToken", TOKEN));
        List<DeliveryResult> results = new ArrayList<>();
        for (int status : new int[] {301, 400, 401, 403, 404, 429, 500, 503}) {
            // Each integration's own secret echoed back by the service (what a misbehaving proxy could do).
            server.thenAnswer(error(status, "bad credentials tocsin.integration / " + PASSWORD, PASSWORD + "!"),
                    error(status, "bad token " + TOKEN, "Bearer " + TOKEN));
            results.add(notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED), snow()));
            results.add(notifier.notify(TestEvents.event("470", AlarmEventStatus.ENDED), oauth));
        }
        results.add(notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED), IntegrationConfig.declared("snow",
                ServiceNowNotifier.SERVICE, Map.of("instanceUrl", "ftp://x", "username", "u", "password", PASSWORD))));

        assertThat(results).hasSize(17).allSatisfy(result -> {
            assertThat(result).isNotInstanceOf(DeliveryResult.Delivered.class);
            assertThat(result.reason()).doesNotContain(PASSWORD).doesNotContain(TOKEN);
        });
        assertThat(results.get(3).reason()).isEqualTo("HTTP 400: bad token *** (Bearer ***)");
        assertThat(results.get(2).reason()).isEqualTo("HTTP 400: bad credentials tocsin.integration / *** (***!)");
        assertThat(results.getLast()).isInstanceOf(DeliveryResult.Permanent.class);
        assertThat(((DeliveryResult.Permanent) results.getLast()).failure()).isEqualTo(Failure.CONFIG);
    }

    @Test
    void validationNamesEachBadSettingWithoutEchoingSecrets() {
        assertThat(notifier.validate(Map.of())).extracting(FieldError::field).containsExactlyInAnyOrder("instanceUrl", "username");
        String url = "https://acme.service-now.com";
        assertThat(fields(Map.of("instanceUrl", url, "username", "u", "password", PASSWORD))).isEmpty();
        assertThat(fields(Map.of("instanceUrl", url + "/", "oauthToken", TOKEN, "mode", "EVENT"))).isEmpty();
        assertThat(fields(Map.of("instanceUrl", url, "username", "u"))).containsExactly("password");
        assertThat(fields(Map.of("instanceUrl", url, "password", PASSWORD))).containsExactly("username");
        assertThat(fields(Map.of("instanceUrl", url, "username", "u", "password", PASSWORD, "oauthToken", TOKEN))).containsExactly("oauthToken");
        assertThat(fields(Map.of("instanceUrl", url, "oauthToken", "two words"))).containsExactly("oauthToken");
        assertThat(fields(Map.of("instanceUrl", url, "username", "a:b", "password", PASSWORD))).containsExactly("username");
        assertThat(fields(Map.of("instanceUrl", url, "username", "u", "password", "x\r\ny"))).containsExactly("password");
        for (String bad : new String[] {"acme.service-now.com", "ftp://acme", url + "?q=1", "https://user:" + PASSWORD + "@acme.service-now.com"}) {
            Map<String, String> settings = Map.of("instanceUrl", bad, "username", "u", "password", PASSWORD);
            assertThat(notifier.validate(settings)).singleElement().satisfies(error -> {
                assertThat(error.field()).isEqualTo("instanceUrl");
                assertThat(error.message()).doesNotContain(PASSWORD);
            });
        }
        Map<String, String> extras = new HashMap<>(Map.of("instanceUrl", url, "username", "u", "password", PASSWORD));
        extras.putAll(Map.of("mode", "table", "assignmentGroup", "Database Team", "closeCode", "x".repeat(41), "link", "ftp://x/{alarmKey}"));
        assertThat(fields(extras)).containsExactlyInAnyOrder("mode", "assignmentGroup", "closeCode", "link");
        assertThat(notifier.validate(extras)).allSatisfy(error -> assertThat(error.message()).doesNotContain(PASSWORD));
    }

    @Test
    void settingsAreNamedAndSecretsMarked() {
        assertThat(notifier.service()).isEqualTo("servicenow");
        assertThat(notifier.secretSettings()).containsExactlyInAnyOrder("password", "oauthToken");
        assertThat(List.of("instanceUrl", "username", "password", "oauthToken", "mode", "closeCode", "assignmentGroup", "link"))
                .allMatch(notifier::knows);
        assertThat(notifier.knows("url")).isFalse();
        assertThat(notifier.isSecret("username")).isFalse();
        assertThat(notifier.defaultRateLimit()).isEqualTo(new io.tocsin.dispatcher.delivery.Notifier.RateLimit(5, 50));
    }

    private List<String> fields(Map<String, String> settings) {
        return notifier.validate(settings).stream().map(FieldError::field).toList();
    }
}
