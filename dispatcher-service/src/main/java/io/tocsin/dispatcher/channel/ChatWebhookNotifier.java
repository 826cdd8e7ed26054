package io.tocsin.dispatcher.channel;

import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.HttpOutcome;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.wire.FieldError;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A chat channel that posts to a webhook URL (Slack, Discord, Teams): one required, secret setting holding the URL
 * (its path or query is the credential), the optional {@code link}, and one delivery flow. A chat keeps no incident,
 * so an UPDATED event is acknowledged without a request (a message per update would be noise; only an integration's
 * event filter lets one through); CREATED and ENDED each POST one message. A channel supplies its message
 * ({@link #body}), the reading of its service's answer ({@link #classify}), its rate limit and, where it must add to
 * the URL, {@link #target}.
 *
 * <p>A base class rather than a part each channel holds: the whole {@link Notifier} is the same for these channels
 * but for those hooks, and a held part would leave every channel with the same delegating methods.
 *
 * <p>Error contract: as {@link Notifier}. The URL is never part of a reason or a validation message; a URL that is
 * missing or not http(s) is a permanent {@link Failure#CONFIG} without a request.
 */
public abstract class ChatWebhookNotifier implements Notifier {

    /**
     * The channel's URL setting.
     *
     * @param name          the setting's name, e.g. {@code webhookUrl}
     * @param description   what the URL is, for the "is required" message, e.g. "the incoming webhook's URL (https://…)"
     * @param invalidReason the reason of the result when the URL is missing or not http(s) at delivery time
     */
    public record UrlSetting(String name, String description, String invalidReason) {
    }

    private final JsonHttpSender sender;
    private final String service;
    private final UrlSetting url;

    protected ChatWebhookNotifier(JsonHttpSender sender, String service, UrlSetting url) {
        this.sender = sender;
        this.service = service;
        this.url = url;
    }

    /** The channel's message for {@code event}, with the integration's link template (null without one). */
    protected abstract byte[] body(AlarmEvent event, String linkTemplate);

    /** The result of the service's answer (or of the failure to get one). */
    protected abstract DeliveryResult classify(HttpOutcome outcome);

    /** The URL posted to: the setting's, unless the channel adds to it. */
    protected URI target(URI webhookUrl) {
        return webhookUrl;
    }

    /** Whether the {@code link} must make a URL ({@link ServiceSettings#checkLink}); false where it may be text. */
    protected boolean linkMustBeUrl() {
        return true;
    }

    @Override
    public final String service() {
        return service;
    }

    /** The webhook URL: whoever holds it may post to the chat. */
    @Override
    public final Set<String> secretSettings() {
        return Set.of(url.name());
    }

    @Override
    public final boolean knows(String setting) {
        return url.name().equals(setting) || AlarmText.LINK_SETTING.equals(setting);
    }

    @Override
    public final List<FieldError> validate(Map<String, String> settings) {
        List<FieldError> errors = new ArrayList<>();
        String value = settings.get(url.name());
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(url.name(), "is required: " + url.description()));
        } else if (ServiceUrls.http(value) == null) {
            errors.add(new FieldError(url.name(), "must be an absolute http:// or https:// URL with a host"));
        }
        if (linkMustBeUrl()) {
            ServiceSettings.checkLink(settings, errors);
        }
        return errors;
    }

    @Override
    public final DeliveryResult notify(AlarmEvent event, IntegrationConfig integration) {
        if (event.getStatus() == AlarmEventStatus.UPDATED) {
            return DeliveryResult.Delivered.INSTANCE;
        }
        URI uri = ServiceUrls.http(integration.setting(url.name()));
        if (uri == null) {
            return new DeliveryResult.Permanent(Failure.CONFIG, url.invalidReason());
        }
        byte[] message = body(event, integration.setting(AlarmText.LINK_SETTING));
        return classify(sender.exchange("POST", target(uri), message, Map.of()));
    }
}
