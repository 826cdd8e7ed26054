package io.tocsin.dispatcher.channel.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.dispatcher.IntegrationConfig;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.schema.AlarmEvent;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Map;

/**
 * POSTs an alarm event as ClusterControl's webhook body ({@link WebhookBody}) to the integration's URL, with
 * the Standard Webhooks {@code webhook-id} (the event id: the same on every retry, so a receiver can drop
 * duplicates) and {@code webhook-timestamp} (when this attempt was made) headers. Unsigned for now.
 *
 * <p>Error contract: as {@link Notifier}. The URL is never part of a reason or a validation message: webhook
 * URLs commonly carry their token in the path.
 */
@Singleton
public class WebhookNotifier implements Notifier {

    public static final String SERVICE = "webhook";

    // A private mapper: the application's serialisation is Micronaut Serde, and this body must not change with
    // its settings.
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonHttpSender sender;

    public WebhookNotifier(JsonHttpSender sender) {
        this.sender = sender;
    }

    @Override
    public String service() {
        return SERVICE;
    }

    @Override
    public void validate(IntegrationConfig integration) {
        if (parse(integration.url()) == null) {
            throw new IllegalArgumentException("integration '" + integration.name() + "': " + integration.key("url")
                    + " must be an absolute http:// or https:// URL with a host");
        }
    }

    @Override
    public DeliveryResult notify(AlarmEvent event, IntegrationConfig integration) {
        URI uri = parse(integration.url());
        if (uri == null) {
            return new DeliveryResult.Permanent("webhook url is not an http(s) URL");
        }
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(WebhookBody.of(event));
        } catch (JsonProcessingException e) {
            return new DeliveryResult.Permanent("cannot serialise the webhook body: " + e.getClass().getSimpleName());
        }
        Map<String, String> headers = Map.of(
                "webhook-id", event.getEventId(),
                "webhook-timestamp", Long.toString(Instant.now().getEpochSecond()));
        return sender.post(uri, body, headers);
    }

    /** The URL when it is an absolute http(s) URL with a host, else null. */
    static URI parse(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(url.trim());
            String scheme = uri.getScheme();
            boolean http = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
            return http && uri.getHost() != null ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
