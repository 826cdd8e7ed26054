package io.tocsin.dispatcher.channel.teams;

import io.tocsin.dispatcher.channel.AlarmText;
import io.tocsin.dispatcher.channel.ChatWebhookNotifier;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.HttpOutcome;
import io.tocsin.dispatcher.delivery.JsonHttpSender;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.schema.AlarmEvent;
import jakarta.inject.Singleton;

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
 * <p>The setting, the UPDATED rule and the delivery flow are the chat channels' shared {@link ChatWebhookNotifier}. The
 * {@code link} is not checked as a URL: one that is not a URL is shown as text ({@link TeamsCard}).
 *
 * <p>Error contract: as {@link Notifier}; statuses through the shared classifier, except 404 and 410, permanent
 * {@link Failure#CONFIG} (the flow was deleted or the URL is wrong). The workflow URL carries its secret as the
 * {@code sig} query parameter, so it never appears in a reason, a validation message or a log line.
 */
@Singleton
public class TeamsNotifier extends ChatWebhookNotifier {

    public static final String SERVICE = "teams";
    static final String WORKFLOW_URL = "workflowUrl";

    /** The workflow URL is the credential: its {@code sig} parameter lets anyone post to the channel. */
    public TeamsNotifier(JsonHttpSender sender) {
        super(sender, SERVICE, new UrlSetting(WORKFLOW_URL, "the URL of the Teams workflow's webhook trigger",
                "teams workflowUrl is missing or not an http(s) URL"));
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

    /** A link that is not a URL is shown as text on the card, not refused. */
    @Override
    protected boolean linkMustBeUrl() {
        return false;
    }

    @Override
    protected byte[] body(AlarmEvent event, String linkTemplate) {
        return TeamsCard.body(event, AlarmText.of(event, linkTemplate));
    }

    /** The shared classification, but 404 and 410: the flow is gone or the URL is wrong, which only the operator can fix. */
    @Override
    protected DeliveryResult classify(HttpOutcome outcome) {
        DeliveryResult result = outcome.result();
        if (result instanceof DeliveryResult.Permanent refused && (refused.status() == 404 || refused.status() == 410)) {
            return new DeliveryResult.Permanent(Failure.CONFIG, refused.reason() + " (no workflow at workflowUrl: deleted, disabled or mistyped)", refused.status());
        }
        return result;
    }
}
