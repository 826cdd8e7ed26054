package io.tocsin.dispatcher.channel.discord;

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
 * Posts alarm events to a Discord channel through a
 * <a href="https://discord.com/developers/docs/resources/webhook#execute-webhook">webhook</a> ({@code webhookUrl}):
 * an embed coloured by severity when an alarm opens (CREATED), a green resolved embed when it ends (ENDED)
 * ({@link DiscordMessage}). Discord keeps no incident; the alarm key in both footers ties them together. UPDATED
 * events are not posted (acknowledged without a request). The test notification is the test event's CREATED.
 *
 * <p>Every request adds {@code wait=true} to the URL's query (keeping a {@code thread_id} there): without it
 * Discord answers 204 before the message is saved, and "a message that is not saved does not return an error".
 *
 * <p>Error contract: as {@link Notifier}; answers are classified by {@link DiscordAnswer}. The webhook URL holds
 * the webhook's token: it is a secret setting and never part of a reason, a log line nor a validation message.
 */
@Singleton
public class DiscordNotifier implements Notifier {

    public static final String SERVICE = "discord";
    static final String WEBHOOK_URL = "webhookUrl";

    private final JsonHttpSender sender;

    public DiscordNotifier(JsonHttpSender sender) {
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
    public List<FieldError> validate(Map<String, String> settings) {
        List<FieldError> errors = new ArrayList<>();
        if (httpUrl(settings.get(WEBHOOK_URL)) == null) {
            errors.add(new FieldError(WEBHOOK_URL, "is required: the webhook's URL (https://discord.com/api/webhooks/...), "
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
            return new DeliveryResult.Permanent(DeliveryResult.Failure.CONFIG, "Discord webhookUrl is not an http(s) URL");
        }
        byte[] body = DiscordMessage.bytes(DiscordMessage.of(event, integration.setting(AlarmText.LINK_SETTING)));
        return DiscordAnswer.classify(sender.exchange("POST", waiting(uri), body, Map.of()));
    }

    /** {@code uri} with {@code wait=true} in its query, unless it already says {@code wait}; no fragment. */
    static URI waiting(URI uri) {
        String query = uri.getRawQuery();
        boolean hasWait = query != null && ("&" + query).contains("&wait=");
        String base = uri.getRawFragment() == null ? uri.toString() : uri.toString().substring(0, uri.toString().lastIndexOf('#'));
        return hasWait ? URI.create(base) : URI.create(base + (query == null ? "?" : "&") + "wait=true");
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
