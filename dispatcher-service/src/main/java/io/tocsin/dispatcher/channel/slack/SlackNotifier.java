package io.tocsin.dispatcher.channel.slack;

import io.tocsin.dispatcher.channel.ChatWebhookNotifier;
import io.tocsin.dispatcher.channel.JsonBodies;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.HttpOutcome;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.schema.AlarmEvent;
import jakarta.inject.Singleton;

/**
 * Posts alarm events to a Slack channel through an
 * <a href="https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks">incoming webhook</a>
 * ({@code webhookUrl}): a message coloured by severity when an alarm opens (CREATED), a green resolved message
 * when it ends (ENDED) ({@link SlackMessage}). Slack keeps no incident, so nothing correlates the two but the
 * alarm key shown in both; UPDATED events are not posted (acknowledged without a request). The test notification
 * is the test event's CREATED message.
 *
 * <p>The setting, the UPDATED rule and the delivery flow are the chat channels' shared {@link ChatWebhookNotifier}; this
 * class adds Slack's message, its answers and its rate limit.
 *
 * <p>Error contract: as {@link Notifier}; answers are classified by {@link SlackAnswer}. The webhook URL is the
 * credential (its last path segment is a token): it is a secret setting and never part of a reason, a log line
 * nor a validation message.
 */
@Singleton
public class SlackNotifier extends ChatWebhookNotifier {

    public static final String SERVICE = "slack";
    static final String WEBHOOK_URL = "webhookUrl";

    public SlackNotifier(JsonHttpSender sender) {
        super(sender, SERVICE, new UrlSetting(WEBHOOK_URL, "the incoming webhook's URL (https://hooks.slack.com/services/...)",
                "Slack webhookUrl is not an http(s) URL"));
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
    protected byte[] body(AlarmEvent event, String linkTemplate) {
        return JsonBodies.bytes(SlackMessage.of(event, linkTemplate));
    }

    @Override
    protected DeliveryResult classify(HttpOutcome outcome) {
        return SlackAnswer.classify(outcome);
    }
}
