package io.tocsin.dispatcher.channel.discord;

import io.tocsin.dispatcher.channel.ChatWebhookNotifier;
import io.tocsin.dispatcher.channel.JsonBodies;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.HttpOutcome;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.schema.AlarmEvent;
import jakarta.inject.Singleton;
import java.net.URI;

/**
 * Posts alarm events to a Discord channel through a
 * <a href="https://discord.com/developers/docs/resources/webhook#execute-webhook">webhook</a> ({@code webhookUrl}):
 * an embed coloured by severity when an alarm opens (CREATED), a green resolved embed when it ends (ENDED)
 * ({@link DiscordMessage}). Discord keeps no incident; the alarm key in both footers ties them together. UPDATED
 * events are not posted (acknowledged without a request). The test notification is the test event's CREATED.
 *
 * <p>Every request adds {@code wait=true} to the URL's query (keeping a {@code thread_id} there): without it
 * Discord answers 204 before the message is saved, and "a message that is not saved does not return an error".
 *
 * <p>The setting, the UPDATED rule and the delivery flow are the chat channels' shared {@link ChatWebhookNotifier}; this
 * class adds Discord's message, the {@code wait} parameter, its answers and its rate limit.
 *
 * <p>Error contract: as {@link Notifier}; answers are classified by {@link DiscordAnswer}. The webhook URL holds
 * the webhook's token: it is a secret setting and never part of a reason, a log line nor a validation message.
 */
@Singleton
public class DiscordNotifier extends ChatWebhookNotifier {

    public static final String SERVICE = "discord";
    static final String WEBHOOK_URL = "webhookUrl";

    public DiscordNotifier(JsonHttpSender sender) {
        super(sender, SERVICE, new UrlSetting(WEBHOOK_URL, "the webhook's URL (https://discord.com/api/webhooks/...)",
                "Discord webhookUrl is not an http(s) URL"));
    }

    /**
     * Discord publishes its limits only through {@code X-RateLimit-*} headers, per route: a webhook's bucket is
     * 5 requests per 2 seconds, and a channel takes about 30 webhook messages a minute (both observed, not
     * documented). The default follows the stricter: 0.5 per second with a burst of 5; a 429's
     * {@code retry_after} covers the rest.
     */
    @Override
    public RateLimit defaultRateLimit() {
        return new RateLimit(0.5, 5);
    }

    @Override
    protected byte[] body(AlarmEvent event, String linkTemplate) {
        return JsonBodies.bytes(DiscordMessage.of(event, linkTemplate));
    }

    @Override
    protected URI target(URI webhookUrl) {
        return waiting(webhookUrl);
    }

    @Override
    protected DeliveryResult classify(HttpOutcome outcome) {
        return DiscordAnswer.classify(outcome);
    }

    /** {@code uri} with {@code wait=true} in its query, unless it already says {@code wait}; no fragment. */
    static URI waiting(URI uri) {
        String query = uri.getRawQuery();
        boolean hasWait = query != null && ("&" + query).contains("&wait=");
        String base = uri.getRawFragment() == null ? uri.toString() : uri.toString().substring(0, uri.toString().lastIndexOf('#'));
        return hasWait ? URI.create(base) : URI.create(base + (query == null ? "?" : "&") + "wait=true");
    }
}
