package io.tocsin.dispatcher.channel.servicenow;

import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.wire.FieldError;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ServiceNow: incidents through the Table API ({@code mode: incident}, the default; {@link ServiceNowIncidents}) or
 * events through Event Management ({@code mode: event}; {@link ServiceNowEvents}). CREATED opens, ENDED resolves;
 * both find their incident or alert by the alarm's correlation id, never by state kept in memory. UPDATED events
 * are not sent (the reference defines no update): they count as delivered without a request.
 *
 * <p>Error contract: as {@link Notifier}. The password and the OAuth token never appear in a reason or a validation
 * message; ServiceNow's own error messages are quoted with any secret value removed.
 */
@Singleton
public class ServiceNowNotifier implements Notifier {

    public static final String SERVICE = "servicenow";
    static final String TEST_LABEL = "tocsin.test";

    private final ServiceNowIncidents incidents;
    private final ServiceNowEvents events;

    public ServiceNowNotifier(JsonHttpSender sender) {
        this.incidents = new ServiceNowIncidents(sender);
        this.events = new ServiceNowEvents(sender);
    }

    @Override
    public String service() {
        return SERVICE;
    }

    @Override
    public Set<String> secretSettings() {
        return ServiceNowSettings.SECRETS;
    }

    @Override
    public boolean knows(String setting) {
        return ServiceNowSettings.NAMES.contains(setting);
    }

    @Override
    public List<FieldError> validate(Map<String, String> settings) {
        return ServiceNowSettings.validate(settings);
    }

    /** Incidents stay open until resolved: the test incident is resolved right after it is opened. */
    @Override
    public boolean resolvesTestEvents() {
        return true;
    }

    /**
     * ServiceNow has no inbound rate limit by default (administrators may add per-hour rules, answered with 429
     * and honoured); 5 events per second with a burst of 50 keeps an alarm storm from flooding the instance.
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
        ServiceNowSettings settings = ServiceNowSettings.of(integration);
        if (settings == null) {
            return new DeliveryResult.Permanent(DeliveryResult.Failure.CONFIG,
                    "ServiceNow settings are invalid (see " + integration.key(ServiceNowSettings.INSTANCE_URL) + " and the credentials)");
        }
        List<String> secrets = ServiceNowSettings.secretValues(integration);
        if (settings.eventMode()) {
            return events.send(event, settings, secrets);
        }
        return event.getStatus() == AlarmEventStatus.ENDED ? incidents.resolve(event, settings, secrets)
                : incidents.open(event, settings, secrets);
    }

    /** Whether {@code event} is Tocsin's test notification (label {@value #TEST_LABEL}). */
    static boolean isTest(AlarmEvent event) {
        return "true".equals(event.getLabels().get(TEST_LABEL));
    }
}
