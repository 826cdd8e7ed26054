package io.tocsin.dispatcher.channel.opsgenie;

import io.tocsin.dispatcher.channel.AlarmText;
import io.tocsin.dispatcher.channel.ServiceSettings;
import io.tocsin.dispatcher.channel.ServiceUrls;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.wire.FieldError;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends alarm events to Opsgenie through the <a href="https://docs.opsgenie.com/docs/alert-api">Alert API v2</a>
 * (also served by Jira Service Management's Opsgenie-compatible API): a CREATED creates an alert
 * ({@code POST /v2/alerts}), an ENDED closes it ({@code POST /v2/alerts/{alias}/close?identifierType=alias}); the
 * alias is the alarm key ({@link OpsgenieAlert#alias}), so a repeated create only raises the open alert's count.
 * UPDATED events are not sent (a re-create would only raise the count): they count as delivered without a request.
 *
 * <p>Settings: {@code apiKey} (secret, required: the key of an API integration, sent as
 * {@code Authorization: GenieKey <apiKey>}), {@code region} ({@code us}, the default, or {@code eu}: the account's
 * instance; the other one refuses the key), {@code url} (replaces the region's API base, e.g. a proxy or JSM
 * gateway; {@code /v2/alerts…} is appended) and {@code link}.
 *
 * <p>Error contract: as {@link Notifier}; answers are read by {@link OpsgenieAnswer}. A 202 means Opsgenie took the
 * request, not that it succeeded: a close of an alert that is already closed or never existed is also accepted,
 * and such outcomes are visible only in Opsgenie's request status, whose id is logged at DEBUG. The API key and
 * the URL never appear in a reason or a log line.
 */
@Singleton
public class OpsgenieNotifier implements Notifier {

    public static final String SERVICE = "opsgenie";
    static final String API_KEY = "apiKey";
    static final String REGION = "region";
    static final Map<String, String> REGION_URLS = Map.of("us", "https://api.opsgenie.com", "eu", "https://api.eu.opsgenie.com");
    private static final Logger LOG = LoggerFactory.getLogger(OpsgenieNotifier.class);

    private final JsonHttpSender sender;

    public OpsgenieNotifier(JsonHttpSender sender) {
        this.sender = sender;
    }

    @Override
    public String service() {
        return SERVICE;
    }

    /** The API key creates and closes alerts for its team; the base URL is a public endpoint. */
    @Override
    public Set<String> secretSettings() {
        return Set.of(API_KEY);
    }

    @Override
    public boolean knows(String setting) {
        return Set.of(API_KEY, REGION, ServiceSettings.URL, AlarmText.LINK_SETTING).contains(setting);
    }

    /** Opsgenie keeps alerts open until closed: the test notification is closed after it is sent. */
    @Override
    public boolean resolvesTestEvents() {
        return true;
    }

    /**
     * Opsgenie limits the Alert domain per account with per-second and per-minute token buckets whose sizes depend
     * on the plan and are not published; 5 a second (300 a minute) with a burst of 20 stays under the smaller
     * plans' limits in practice, and a 429 is retried after the bucket's period anyway.
     */
    @Override
    public RateLimit defaultRateLimit() {
        return new RateLimit(5, 20);
    }

    @Override
    public List<FieldError> validate(Map<String, String> settings) {
        List<FieldError> errors = new ArrayList<>();
        String apiKey = settings.get(API_KEY);
        if (apiKey == null || apiKey.isBlank()) {
            errors.add(new FieldError(API_KEY, "is required: the API key of an Opsgenie API integration"));
        } else if (apiKey.strip().chars().anyMatch(c -> c <= ' ' || c > '~')) {
            errors.add(new FieldError(API_KEY, "must be the API key as Opsgenie shows it: visible ASCII characters, no spaces"));
        }
        String region = settings.get(REGION);
        if (region != null && !region.isBlank() && !REGION_URLS.containsKey(region.strip().toLowerCase(Locale.ROOT))) {
            errors.add(new FieldError(REGION, "must be 'us' (api.opsgenie.com, the default) or 'eu' (api.eu.opsgenie.com)"));
        }
        ServiceSettings.checkUrl(settings, errors);
        String url = settings.get(ServiceSettings.URL);
        if (ServiceUrls.http(url) != null && ServiceUrls.base(url) == null) {
            errors.add(new FieldError(ServiceSettings.URL, "must be the API's base URL, without a query or fragment"));
        }
        ServiceSettings.checkLink(settings, errors);
        return errors;
    }

    @Override
    public DeliveryResult notify(AlarmEvent event, IntegrationConfig integration) {
        String apiKey = integration.setting(API_KEY);
        if (apiKey == null) {
            return new DeliveryResult.Permanent(Failure.CONFIG, "opsgenie apiKey is not set");
        }
        String base = apiBase(integration);
        if (base == null) {
            return new DeliveryResult.Permanent(Failure.CONFIG, "opsgenie url or region is not valid");
        }
        URI uri;
        byte[] body;
        try {
            switch (event.getStatus()) {
                case CREATED -> {
                    uri = URI.create(base + "/v2/alerts");
                    body = OpsgenieAlert.create(event, integration.setting(AlarmText.LINK_SETTING));
                }
                case ENDED -> {
                    uri = URI.create(base + "/v2/alerts/" + OpsgenieAlert.aliasPathSegment(event) + "/close?identifierType=alias");
                    body = OpsgenieAlert.close(event);
                }
                default -> {
                    return DeliveryResult.Delivered.INSTANCE; // UPDATED: nothing to send, see the class comment
                }
            }
        } catch (IllegalArgumentException e) {
            return new DeliveryResult.Permanent(Failure.CONFIG, "opsgenie url is not valid: " + e.getClass().getSimpleName());
        }
        OpsgenieAnswer.Read read = OpsgenieAnswer.read(
                sender.exchange("POST", uri, body, Map.of("Authorization", "GenieKey " + apiKey.strip())), apiKey);
        read.requestId().ifPresent(id -> LOG.debug("Opsgenie accepted the {} of {} for {} as request {}",
                event.getStatus() == io.tocsin.schema.AlarmEventStatus.CREATED ? "create" : "close", event.getEventId(),
                integration.name(), id));
        return read.result();
    }

    /**
     * The API base without a trailing slash: {@code url} when set (a trailing {@code /v2/alerts} is dropped, as
     * users paste the endpoint), else the region's host; null when neither is valid.
     */
    static String apiBase(IntegrationConfig integration) {
        String url = integration.setting(ServiceSettings.URL);
        if (url != null) {
            String base = ServiceUrls.base(url);
            if (base == null) {
                return null;
            }
            return base.endsWith("/v2/alerts") ? base.substring(0, base.length() - "/v2/alerts".length()) : base;
        }
        return REGION_URLS.get(integration.setting(REGION, "us").strip().toLowerCase(Locale.ROOT));
    }
}
