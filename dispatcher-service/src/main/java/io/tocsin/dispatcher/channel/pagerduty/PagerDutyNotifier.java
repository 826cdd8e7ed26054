package io.tocsin.dispatcher.channel.pagerduty;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.dispatcher.channel.AlarmText;
import io.tocsin.dispatcher.channel.ServiceAnswers;
import io.tocsin.dispatcher.channel.ServiceSettings;
import io.tocsin.dispatcher.channel.ServiceUrls;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.HttpOutcome;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.wire.FieldError;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Sends alarm events to PagerDuty through the
 * <a href="https://developer.pagerduty.com/docs/events-api-v2/overview/">Events API v2</a>: a CREATED triggers an
 * alert, an ENDED resolves it, both with the alarm key as {@code dedup_key} ({@link PagerDutyEvent}), so retries and
 * repeated triggers of one alarm land on one alert. UPDATED events are not sent (the Events API has no update;
 * a repeated trigger would only be deduplicated): they count as delivered without a request.
 *
 * <p>Settings: {@code routingKey} (secret, required: the 32-character integration key of an Events API v2
 * integration), {@code url} (replaces {@value #DEFAULT_URL}, e.g. with the EU endpoint) and {@code link}.
 *
 * <p>Error contract: as {@link Notifier}. PagerDuty answers 202 to an accepted event; 400 ("invalid event") and
 * other 4xx are {@link DeliveryResult.Permanent} {@link Failure#CONFIG} (401/403 {@link Failure#AUTH}); 429 is
 * {@link DeliveryResult.Retryable} {@link Failure#RATE_LIMITED}, after the answer's Retry-After or, since PagerDuty
 * documents none, after {@link #RATE_LIMITED_WAIT} (its rate-limit page advises retrying about 30 s apart); 5xx,
 * timeouts and connection failures are retryable. Reasons quote PagerDuty's {@code message} and {@code errors}
 * with the routing key blanked out; the routing key and the URL never appear in a reason.
 */
@Singleton
public class PagerDutyNotifier implements Notifier {

    public static final String SERVICE = "pagerduty";
    static final String ROUTING_KEY = "routingKey";
    static final String DEFAULT_URL = "https://events.pagerduty.com/v2/enqueue";
    /** The wait after a 429 without Retry-After, per https://developer.pagerduty.com/docs/events-api-v2/rate-limits/. */
    static final Duration RATE_LIMITED_WAIT = Duration.ofSeconds(30);
    private static final Pattern ROUTING_KEY_FORMAT = Pattern.compile("[A-Za-z0-9]{32}");

    private final JsonHttpSender sender;

    public PagerDutyNotifier(JsonHttpSender sender) {
        this.sender = sender;
    }

    @Override
    public String service() {
        return SERVICE;
    }

    /** The routing key lets anyone open alerts on the service; the URL is a public endpoint. */
    @Override
    public Set<String> secretSettings() {
        return Set.of(ROUTING_KEY);
    }

    @Override
    public boolean knows(String setting) {
        return Set.of(ROUTING_KEY, ServiceSettings.URL, AlarmText.LINK_SETTING).contains(setting);
    }

    /** PagerDuty keeps alerts open until resolved: the test notification is resolved after it is sent. */
    @Override
    public boolean resolvesTestEvents() {
        return true;
    }

    /**
     * PagerDuty takes about 120 events a minute per integration key over a rolling 60 s window. A bucket of 20
     * refilled at 100 a minute never sends more than 120 in any 60 s, so the limit is met without a single 429.
     */
    @Override
    public RateLimit defaultRateLimit() {
        return new RateLimit(100 / 60.0, 20);
    }

    @Override
    public List<FieldError> validate(Map<String, String> settings) {
        List<FieldError> errors = new ArrayList<>();
        String routingKey = settings.get(ROUTING_KEY);
        if (routingKey == null || routingKey.isBlank()) {
            errors.add(new FieldError(ROUTING_KEY, "is required: the integration key of an Events API v2 integration"));
        } else if (!ROUTING_KEY_FORMAT.matcher(routingKey.strip()).matches()) {
            errors.add(new FieldError(ROUTING_KEY, "must be the 32-character integration key (letters and digits) of an "
                    + "Events API v2 integration, not a REST API token"));
        }
        ServiceSettings.checkUrl(settings, errors);
        ServiceSettings.checkLink(settings, errors);
        return errors;
    }

    @Override
    public DeliveryResult notify(AlarmEvent event, IntegrationConfig integration) {
        String routingKey = integration.setting(ROUTING_KEY);
        if (routingKey == null) {
            return new DeliveryResult.Permanent(Failure.CONFIG, "pagerduty routingKey is not set");
        }
        URI uri = ServiceUrls.http(integration.setting(ServiceSettings.URL, DEFAULT_URL));
        if (uri == null) {
            return new DeliveryResult.Permanent(Failure.CONFIG, "pagerduty url is not an http(s) URL");
        }
        byte[] body = switch (event.getStatus()) {
            case CREATED -> PagerDutyEvent.trigger(event, routingKey.strip(), integration.setting(AlarmText.LINK_SETTING));
            case ENDED -> PagerDutyEvent.resolve(event, routingKey.strip());
            case UPDATED -> null;
        };
        if (body == null) {
            return DeliveryResult.Delivered.INSTANCE; // nothing to send for an update, see the class comment
        }
        return read(sender.exchange("POST", uri, body, Map.of()), routingKey);
    }

    /** The result of PagerDuty's answer (see the class comment). */
    static DeliveryResult read(HttpOutcome outcome, String routingKey) {
        if (!outcome.answered() || outcome.succeeded()) {
            return outcome.result();
        }
        String detail = detail(ServiceAnswers.json(outcome), routingKey);
        DeliveryResult failed = ServiceAnswers.failed(outcome, "PagerDuty", detail);
        if (failed instanceof DeliveryResult.Retryable retryable && outcome.status() == 429 && retryable.retryAfter().isEmpty()) {
            return new DeliveryResult.Retryable(retryable.failure(), retryable.reason(), retryable.status(), Optional.of(RATE_LIMITED_WAIT));
        }
        return failed;
    }

    /** PagerDuty's {@code message} and {@code errors} of an error answer, made safe for a reason. */
    private static String detail(JsonNode answer, String routingKey) {
        List<String> parts = new ArrayList<>();
        if (answer.path("message").isTextual()) {
            parts.add(answer.path("message").asText());
        }
        answer.path("errors").forEach(error -> parts.add(error.asText()));
        return ServiceAnswers.quote(String.join("; ", parts), List.of(routingKey));
    }
}
