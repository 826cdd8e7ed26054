package io.tocsin.dispatcher.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.HttpOutcome;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.wire.FieldError;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * What every chat channel that posts to a webhook URL shares (Slack, Discord, Teams): one required, secret setting
 * holding the URL (its path or query is the credential), the optional {@code link}, and one delivery flow. A chat
 * keeps no incident, so an UPDATED event is acknowledged without a request (a message per update would be noise;
 * only an integration's event filter lets one through); CREATED and ENDED each POST one message, whose body and
 * the reading of whose answer are the channel's own. Each chat notifier holds one of these.
 *
 * <p>Error contract: as {@link io.tocsin.dispatcher.delivery.Notifier}. The URL is never part of a reason or a
 * validation message; a URL that is missing or not http(s) is a permanent {@link Failure#CONFIG} without a request.
 */
public final class ChatWebhook {

    /**
     * The channel's URL setting.
     *
     * @param name          the setting's name, e.g. {@code webhookUrl}
     * @param description   what the URL is, for the "is required" message, e.g. "the incoming webhook's URL (https://…)"
     * @param invalidReason the reason of the result when the URL is missing or not http(s) at delivery time
     */
    public record UrlSetting(String name, String description, String invalidReason) {
    }

    /** The channel's message for an event, with the integration's link template (null without one). */
    @FunctionalInterface
    public interface Message {
        byte[] body(AlarmEvent event, String linkTemplate) throws JsonProcessingException;
    }

    private final JsonHttpSender sender;
    private final UrlSetting url;

    public ChatWebhook(JsonHttpSender sender, UrlSetting url) {
        this.sender = sender;
        this.url = url;
    }

    /** The webhook URL: whoever holds it may post to the chat. */
    public Set<String> secretSettings() {
        return Set.of(url.name());
    }

    public boolean knows(String setting) {
        return url.name().equals(setting) || AlarmText.LINK_SETTING.equals(setting);
    }

    /** The errors of the URL setting, in a list the channel may add its own checks to. */
    public List<FieldError> validate(Map<String, String> settings) {
        List<FieldError> errors = new ArrayList<>();
        String value = settings.get(url.name());
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(url.name(), "is required: " + url.description()));
        } else if (ServiceUrls.http(value) == null) {
            errors.add(new FieldError(url.name(), "must be an absolute http:// or https:// URL with a host"));
        }
        return errors;
    }

    /**
     * Delivers {@code event}: nothing for UPDATED; else {@code message}'s body POSTed to the URL (through
     * {@code target}, for a channel that adds to it) and the answer read by {@code classify}.
     */
    public DeliveryResult post(AlarmEvent event, IntegrationConfig integration, Message message, UnaryOperator<URI> target,
                               Function<HttpOutcome, DeliveryResult> classify) {
        if (event.getStatus() == AlarmEventStatus.UPDATED) {
            return DeliveryResult.Delivered.INSTANCE;
        }
        URI uri = ServiceUrls.http(integration.setting(url.name()));
        if (uri == null) {
            return new DeliveryResult.Permanent(Failure.CONFIG, url.invalidReason());
        }
        byte[] body;
        try {
            body = message.body(event, integration.setting(AlarmText.LINK_SETTING));
        } catch (JsonProcessingException e) {
            return new DeliveryResult.Permanent(Failure.CONFIG, "cannot serialise the message: " + e.getClass().getSimpleName());
        }
        return classify.apply(sender.exchange("POST", target.apply(uri), body, Map.of()));
    }
}
