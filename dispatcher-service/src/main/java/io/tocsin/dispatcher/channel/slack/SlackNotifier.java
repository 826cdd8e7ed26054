package io.tocsin.dispatcher.channel.slack;

import io.tocsin.dispatcher.channel.AlarmText;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.wire.FieldError;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Posts alarm events to a Slack channel through an
 * <a href="https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks">incoming webhook</a>
 * ({@code webhookUrl}): a message coloured by severity when an alarm opens (CREATED), a green resolved message
 * when it ends (ENDED) ({@link SlackMessage}). Slack keeps no incident, so nothing correlates the two but the
 * alarm key shown in both; UPDATED events are not posted (acknowledged without a request). The test notification
 * is the test event's CREATED message.
 *
 * <p>Error contract: as {@link Notifier}; answers are classified by {@link SlackAnswer}. The webhook URL is the
 * credential (its last path segment is a token): it is a secret setting and never part of a reason, a log line
 * nor a validation message.
 */
@Singleton
public class SlackNotifier implements Notifier {

    public static final String SERVICE = "slack";
    static final String WEBHOOK_URL = "webhookUrl";

    private final JsonHttpSender sender;

    public SlackNotifier(JsonHttpSender sender) {
        this.sender = sender;
    }

    @Override
    public String service() {
        return SERVICE;
    }

    @Override
    public Set<String> secretSettings() {
        return Set.of(WEBHOOK_URL);
    }

    @Override
    public boolean knows(String setting) {
        return WEBHOOK_URL.equals(setting) || AlarmText.LINK_SETTING.equals(setting);
    }

    /**
     * Slack allows one message per second per incoming webhook, tolerating short bursts
     * (<a href="https://docs.slack.dev/apis/web-api/rate-limits">rate limits</a>); a burst of 3 lets a CREATED and
     * its ENDED, or a few alarms at once, go without waiting.
     */
    @Override
    public RateLimit defaultRateLimit() {
        return new RateLimit(1, 3);
    }

    @Override
    public List<FieldError> validate(Map<String, String> settings) {
        List<FieldError> errors = new ArrayList<>();
        if (httpUrl(settings.get(WEBHOOK_URL)) == null) {
            errors.add(new FieldError(WEBHOOK_URL, "is required: the incoming webhook's URL (https://hooks.slack.com/services/...), "
                    + "an absolute http(s) URL"));
        }
        String link = settings.get(AlarmText.LINK_SETTING);
        if (link != null && !link.isBlank() && httpUrl(link.replace("{alarmKey}", "key")) == null) {
            errors.add(new FieldError(AlarmText.LINK_SETTING, "must be an absolute http:// or https:// URL, "
                    + "in which {alarmKey} is replaced by the alarm key"));
        }
        return errors;
    }

    @Override
    public DeliveryResult notify(AlarmEvent event, IntegrationConfig integration) {
        if (event.getStatus() == AlarmEventStatus.UPDATED) {
            return DeliveryResult.Delivered.INSTANCE; // a chat message per update would be noise; nothing to update
        }
        URI uri = httpUrl(integration.setting(WEBHOOK_URL));
        if (uri == null) {
            return new DeliveryResult.Permanent(DeliveryResult.Failure.CONFIG, "Slack webhookUrl is not an http(s) URL");
        }
        byte[] body = SlackMessage.bytes(SlackMessage.of(event, integration.setting(AlarmText.LINK_SETTING)));
        return SlackAnswer.classify(sender.exchange("POST", uri, body, Map.of()));
    }

    /** The URL when it is an absolute http(s) URL with a host, else null. */
    static URI httpUrl(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme();
            boolean http = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
            return http && uri.getHost() != null ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
