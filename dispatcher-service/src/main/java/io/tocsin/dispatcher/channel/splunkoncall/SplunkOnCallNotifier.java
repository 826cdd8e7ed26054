package io.tocsin.dispatcher.channel.splunkoncall;

import io.tocsin.dispatcher.channel.AlarmText;
import io.tocsin.dispatcher.channel.JsonBodies;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.wire.FieldError;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Opens and resolves Splunk On-Call (VictorOps) incidents through the REST endpoint integration: a CREATED event
 * POSTs a {@code CRITICAL} or {@code WARNING} alert, an ENDED event a {@code RECOVERY} with the same
 * {@code entity_id} (the alarm key; see {@link SplunkOnCallAlert}). UPDATED events are not sent (the reference
 * defines no update; re-sending the alert would only add a timeline entry): they count as delivered without a
 * request.
 *
 * <p>Error contract: as {@link Notifier}, with the answer read by {@link SplunkOnCallAnswer} (a 200 whose body says
 * {@code "result":"failure"} is a permanent configuration failure). The REST endpoint URL holds the API key: it is
 * a secret setting and never appears in a reason or a validation message.
 */
@Singleton
public class SplunkOnCallNotifier implements Notifier {

    public static final String SERVICE = "splunk-oncall";

    private final JsonHttpSender sender;

    public SplunkOnCallNotifier(JsonHttpSender sender) {
        this.sender = sender;
    }

    @Override
    public String service() {
        return SERVICE;
    }

    /** The REST endpoint URL embeds the organisation's API key. */
    @Override
    public Set<String> secretSettings() {
        return Set.of(SplunkOnCallSettings.REST_ENDPOINT_URL);
    }

    @Override
    public boolean knows(String setting) {
        return SplunkOnCallSettings.NAMES.contains(setting);
    }

    @Override
    public List<FieldError> validate(Map<String, String> settings) {
        return SplunkOnCallSettings.validate(settings);
    }

    /** Incidents stay open until a RECOVERY: the test notification is resolved after it is sent. */
    @Override
    public boolean resolvesTestEvents() {
        return true;
    }

    /**
     * Splunk On-Call documents no rate limit for the REST endpoint; 5 alerts per second with a burst of 50 keeps an
     * alarm storm from flooding the on-call team's timeline while letting a normal burst through at once.
     */
    @Override
    public RateLimit defaultRateLimit() {
        return new RateLimit(5, 50);
    }

    @Override
    public DeliveryResult notify(AlarmEvent event, IntegrationConfig integration) {
        if (event.getStatus() == AlarmEventStatus.UPDATED) {
            return DeliveryResult.Delivered.INSTANCE;
        }
        String endpoint = integration.setting(SplunkOnCallSettings.REST_ENDPOINT_URL);
        URI uri = SplunkOnCallSettings.alertUri(endpoint, integration.setting(SplunkOnCallSettings.ROUTING_KEY));
        if (uri == null) {
            return new DeliveryResult.Permanent(DeliveryResult.Failure.CONFIG,
                    "Splunk On-Call restEndpointUrl or routingKey is invalid (see " + integration.key(SplunkOnCallSettings.REST_ENDPOINT_URL) + ")");
        }
        byte[] body = JsonBodies.bytes(SplunkOnCallAlert.of(event, integration.setting(AlarmText.LINK_SETTING)));
        return SplunkOnCallAnswer.read(sender.exchange("POST", uri, body, Map.of("Accept", "application/json")),
                SplunkOnCallSettings.secretParts(endpoint));
    }
}
