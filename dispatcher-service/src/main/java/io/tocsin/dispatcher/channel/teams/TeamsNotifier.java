package io.tocsin.dispatcher.channel.teams;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tocsin.dispatcher.channel.AlarmText;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.wire.FieldError;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Posts alarm events to a Microsoft Teams channel or chat through a Workflows webhook (Power Automate / Logic
 * Apps trigger "When a Teams webhook request is received", which replaced Office 365 connectors): {@code POST
 * <workflowUrl>} with an Adaptive Card ({@link TeamsCard}). CREATED posts the alarm, ENDED a {@code [RESOLVED]}
 * card; UPDATED posts nothing (a chat has no incident to update) and counts as delivered. The test event is an
 * ordinary card that says it is a test.
 *
 * <p>A Workflows webhook answers {@code 202 Accepted} before the flow runs: a 2xx means Teams took the request,
 * not that the card was posted (a flow failure shows only in its run history).
 *
 * <p>Error contract: as {@link Notifier}; statuses through the shared classifier, except 404 and 410, permanent
 * {@link Failure#CONFIG} (the flow was deleted or the URL is wrong). The workflow URL carries its secret as the
 * {@code sig} query parameter, so it never appears in a reason, a validation message or a log line.
 */
@Singleton
public class TeamsNotifier implements Notifier {

    public static final String SERVICE = "teams";
    static final String WORKFLOW_URL = "workflowUrl";

    private final JsonHttpSender sender;

    public TeamsNotifier(JsonHttpSender sender) {
        this.sender = sender;
    }

    @Override
    public String service() {
        return SERVICE;
    }

    /** The workflow URL is the credential: its {@code sig} parameter lets anyone post to the channel. */
    @Override
    public Set<String> secretSettings() {
        return Set.of(WORKFLOW_URL);
    }

    @Override
    public boolean knows(String setting) {
        return WORKFLOW_URL.equals(setting) || AlarmText.LINK_SETTING.equals(setting);
    }

    /**
     * Four requests a second: Microsoft throttles a webhook connection beyond that
     * (<a href="https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using">
     * rate limiting for connectors</a>).
     */
    @Override
    public RateLimit defaultRateLimit() {
        return new RateLimit(4, 4);
    }

    @Override
    public List<FieldError> validate(Map<String, String> settings) {
        String url = settings.get(WORKFLOW_URL);
        if (url == null || url.isBlank()) {
            return List.of(new FieldError(WORKFLOW_URL, "is required: the URL of the Teams workflow's webhook trigger"));
        }
        if (parse(url) == null) {
            return List.of(new FieldError(WORKFLOW_URL, "must be an absolute http:// or https:// URL with a host"));
        }
        return List.of();
    }

    @Override
    public DeliveryResult notify(AlarmEvent event, IntegrationConfig integration) {
        if (event.getStatus() == AlarmEventStatus.UPDATED) {
            return DeliveryResult.Delivered.INSTANCE; // nothing to update in a chat; only the engine's filters send it
        }
        URI uri = parse(integration.setting(WORKFLOW_URL));
        if (uri == null) {
            return new DeliveryResult.Permanent(Failure.CONFIG, "teams workflowUrl is missing or not an http(s) URL");
        }
        byte[] body;
        try {
            body = TeamsCard.body(event, AlarmText.of(event, integration.setting(AlarmText.LINK_SETTING)));
        } catch (JsonProcessingException e) {
            return new DeliveryResult.Permanent(Failure.CONFIG, "cannot serialise the teams card: " + e.getClass().getSimpleName());
        }
        DeliveryResult result = sender.post(uri, body, Map.of());
        if (result instanceof DeliveryResult.Permanent refused && (refused.status() == 404 || refused.status() == 410)) {
            return new DeliveryResult.Permanent(Failure.CONFIG, refused.reason() + " (no workflow at workflowUrl: deleted, disabled or mistyped)", refused.status());
        }
        return result;
    }

    /** The URL when it is an absolute http(s) URL with a host, else null. */
    static URI parse(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(url.strip());
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            return http && uri.getHost() != null ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
