package io.tocsin.dispatcher.channel.webhook;

import io.tocsin.dispatcher.channel.JsonBodies;
import io.tocsin.dispatcher.channel.ServiceUrls;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.wire.FieldError;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * POSTs an alarm event to the integration's {@code url}: ClusterControl's eight-field body ({@link WebhookBody})
 * by default, {@link ExtendedWebhookBody} with {@code format: extended}. Every request carries the Standard
 * Webhooks headers {@code webhook-id} (the event id: the same on every retry, so a receiver can drop
 * duplicates) and {@code webhook-timestamp}; with a {@code secret} it is signed per Standard Webhooks v1
 * ({@link WebhookSignature}). Settings {@code header.<Name>} add request headers (e.g. an API key).
 *
 * <p>Error contract: as {@link Notifier}. The URL, the secret and header values are never part of a reason or a
 * validation message: webhook URLs commonly carry their token in the path.
 */
@Singleton
public class WebhookNotifier implements Notifier {

    public static final String SERVICE = "webhook";
    static final String URL = "url";
    static final String FORMAT = "format";
    static final String SECRET = "secret";
    static final String HEADER_PREFIX = "header.";
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
    /** Headers the channel sets itself or the HTTP client forbids. */
    private static final Set<String> RESERVED = Set.of("content-type", "content-length", "host", "connection",
            "webhook-id", "webhook-timestamp", "webhook-signature", "upgrade", "expect");

    private final JsonHttpSender sender;

    public WebhookNotifier(JsonHttpSender sender) {
        this.sender = sender;
    }

    @Override
    public String service() {
        return SERVICE;
    }

    /** The URL may carry a token; the signing secret is one; header values are often API keys. */
    @Override
    public Set<String> secretSettings() {
        return Set.of(URL, SECRET);
    }

    @Override
    public boolean knows(String setting) {
        return Set.of(URL, FORMAT, SECRET).contains(setting) || setting.startsWith(HEADER_PREFIX);
    }

    @Override
    public boolean isSecret(String setting) {
        return secretSettings().contains(setting) || setting.startsWith(HEADER_PREFIX);
    }

    /**
     * A webhook receiver is the user's own service, usually built for bursts: the default limit only guards
     * against floods. Chat services' channels set far lower defaults.
     */
    @Override
    public RateLimit defaultRateLimit() {
        return new RateLimit(10_000, 10_000);
    }

    @Override
    public List<FieldError> validate(Map<String, String> settings) {
        List<FieldError> errors = new ArrayList<>();
        if (ServiceUrls.http(settings.get(URL)) == null) {
            errors.add(new FieldError(URL, "must be an absolute http:// or https:// URL with a host"));
        }
        String format = settings.get(FORMAT);
        if (format != null && !format.isBlank() && !Set.of("clustercontrol", "extended").contains(format.trim().toLowerCase(Locale.ROOT))) {
            errors.add(new FieldError(FORMAT, "must be 'clustercontrol' (the default) or 'extended'"));
        }
        String secret = settings.get(SECRET);
        if (secret != null && !secret.isBlank() && WebhookSignature.keyBytes(secret).length < 16) {
            errors.add(new FieldError(SECRET, "must be at least 16 bytes (Standard Webhooks: whsec_<base64> or plain text)"));
        }
        settings.keySet().stream().filter(key -> key.startsWith(HEADER_PREFIX)).forEach(key -> {
            String name = key.substring(HEADER_PREFIX.length());
            if (!HEADER_NAME.matcher(name).matches() || RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
                errors.add(new FieldError(key, "is not a header name this channel may set"));
            } else if (settings.get(key).chars().anyMatch(c -> c == '\r' || c == '\n')) {
                errors.add(new FieldError(key, "must not contain line breaks"));
            }
        });
        return errors;
    }

    @Override
    public DeliveryResult notify(AlarmEvent event, IntegrationConfig integration) {
        URI uri = ServiceUrls.http(integration.setting(URL));
        if (uri == null) {
            return new DeliveryResult.Permanent(DeliveryResult.Failure.CONFIG, "webhook url is not an http(s) URL");
        }
        Object payload = "extended".equalsIgnoreCase(integration.setting(FORMAT, "clustercontrol").trim())
                ? ExtendedWebhookBody.of(event) : WebhookBody.of(event);
        byte[] body = JsonBodies.bytes(payload);
        String id = event.getEventId();
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        Map<String, String> headers = new LinkedHashMap<>();
        integration.settings().forEach((key, value) -> {
            if (key.startsWith(HEADER_PREFIX)) {
                headers.put(key.substring(HEADER_PREFIX.length()), value);
            }
        });
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", timestamp);
        String secret = integration.setting(SECRET);
        if (secret != null) {
            headers.put("webhook-signature", WebhookSignature.sign(secret, id, timestamp, body));
        }
        return sender.post(uri, body, headers);
    }
}
