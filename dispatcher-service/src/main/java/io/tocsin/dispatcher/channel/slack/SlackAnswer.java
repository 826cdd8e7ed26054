package io.tocsin.dispatcher.channel.slack;

import io.tocsin.dispatcher.channel.ServiceAnswers;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.HttpOutcome;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Classifies Slack's answer to an incoming-webhook POST. Success is {@code 200 ok}; errors are plain-text codes
 * (<a href="https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks">incoming webhook
 * errors</a>). The status decides retryable or not through the shared classifier (429 with its
 * {@code Retry-After} and 5xx retryable); a documented error code makes a refusal a configuration error
 * ({@link Failure#CONFIG}, {@link Failure#AUTH} for {@code invalid_token}) with a reason saying what to fix.
 *
 * <p>Error contract: never throws; reasons hold the status and Slack's error code (a lower-case word, checked
 * before it is quoted), never the webhook URL nor any other part of the answer.
 */
final class SlackAnswer {

    /** What Slack's error codes look like; any other body is not quoted (a proxy might echo the URL). */
    private static final Pattern ERROR_CODE = Pattern.compile("[a-z0-9_]{1,64}");
    private static final String REMOVED = "the webhook was removed or disabled: create a new one";

    /** Documented error codes: what they mean for the operator, and the failure kind. */
    private record Known(Failure failure, String meaning) {
    }

    private static final Map<String, Known> KNOWN = Map.ofEntries(
            Map.entry("invalid_payload", new Known(Failure.CONFIG, "Slack refused the message as malformed")),
            Map.entry("no_text", new Known(Failure.CONFIG, "Slack refused a message without text")),
            Map.entry("too_many_attachments", new Known(Failure.CONFIG, "Slack refused the message's attachments")),
            Map.entry("invalid_blocks", new Known(Failure.CONFIG, "Slack refused the message's blocks")),
            Map.entry("user_not_found", new Known(Failure.CONFIG, "the webhook's user no longer exists")),
            Map.entry("action_prohibited", new Known(Failure.CONFIG, "a workspace admin restricted posting to the channel")),
            Map.entry("invalid_token", new Known(Failure.AUTH, "the webhook URL's token is invalid")),
            Map.entry("team_disabled", new Known(Failure.CONFIG, "the Slack workspace is disabled")),
            Map.entry("posting_to_general_channel_denied", new Known(Failure.CONFIG, "only admins may post to the channel")),
            Map.entry("channel_not_found", new Known(Failure.CONFIG, "the webhook's channel no longer exists")),
            Map.entry("no_service", new Known(Failure.CONFIG, REMOVED)),
            Map.entry("no_service_id", new Known(Failure.CONFIG, REMOVED)),
            Map.entry("no_team", new Known(Failure.CONFIG, REMOVED)),
            Map.entry("no_active_hooks", new Known(Failure.CONFIG, REMOVED)),
            Map.entry("channel_is_archived", new Known(Failure.CONFIG, "the webhook's channel is archived")));

    private SlackAnswer() {
    }

    static DeliveryResult classify(HttpOutcome outcome) {
        DeliveryResult shared = outcome.result();
        if (!outcome.answered() || shared instanceof DeliveryResult.Delivered) {
            return shared; // no answer (reason already free of the URL), or any 2xx: Slack's "ok"
        }
        String code = errorCode(outcome.bodyText());
        String quoted = code.isEmpty() ? "" : " " + code;
        Known known = shared instanceof DeliveryResult.Permanent ? KNOWN.get(code) : null;
        if (known != null) {
            return new DeliveryResult.Permanent(known.failure(), "Slack: HTTP " + outcome.status() + quoted + " (" + known.meaning() + ")",
                    outcome.status());
        }
        return ServiceAnswers.reworded(shared, reason -> "Slack: " + reason + quoted);
    }

    /** Slack's error code: the answer's first line when it looks like one, else empty. */
    static String errorCode(String body) {
        String first = body.strip().lines().findFirst().orElse("").strip();
        return ERROR_CODE.matcher(first).matches() ? first : "";
    }
}
