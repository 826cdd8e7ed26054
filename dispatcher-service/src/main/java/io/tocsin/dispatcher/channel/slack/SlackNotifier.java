package io.tocsin.dispatcher.channel.slack;

import io.tocsin.dispatcher.channel.ChatWebhook;
import io.tocsin.dispatcher.channel.ServiceSettings;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.wire.FieldError;
import jakarta.inject.Singleton;
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
 * <p>The setting, the UPDATED rule and the delivery flow are the chat channels' shared {@link ChatWebhook}; this
 * class adds Slack's message, its answers and its rate limit.
 *
 * <p>Error contract: as {@link Notifier}; answers are classified by {@link SlackAnswer}. The webhook URL is the
 * credential (its last path segment is a token): it is a secret setting and never part of a reason, a log line
 * nor a validation message.
 */
@Singleton
public class SlackNotifier implements Notifier {

    public static final String SERVICE = "slack";
    static final String WEBHOOK_URL = "webhookUrl";

    private final ChatWebhook webhook;

    public SlackNotifier(JsonHttpSender sender) {
        this.webhook = new ChatWebhook(sender, new ChatWebhook.UrlSetting(WEBHOOK_URL,
                "the incoming webhook's URL (https://hooks.slack.com/services/...)", "Slack webhookUrl is not an http(s) URL"));
    }

    @Override
    public String service() {
        return SERVICE;
    }

    @Override
    public Set<String> secretSettings() {
        return webhook.secretSettings();
    }

    @Override
    public boolean knows(String setting) {
        return webhook.knows(setting);
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

    /** The webhook URL, and the link, which Slack shows as a link only when it is a URL. */
    @Override
    public List<FieldError> validate(Map<String, String> settings) {
        List<FieldError> errors = webhook.validate(settings);
        ServiceSettings.checkLink(settings, errors);
        return errors;
    }

    @Override
    public DeliveryResult notify(AlarmEvent event, IntegrationConfig integration) {
        return webhook.post(event, integration, (alarm, link) -> SlackMessage.bytes(SlackMessage.of(alarm, link)),
                uri -> uri, SlackAnswer::classify);
    }
}
