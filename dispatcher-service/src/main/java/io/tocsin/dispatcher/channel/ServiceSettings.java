package io.tocsin.dispatcher.channel;

import io.tocsin.schema.wire.FieldError;
import java.util.List;
import java.util.Map;

/**
 * Checks of the settings that service channels share: the optional {@code url} that replaces a service's fixed
 * endpoint (EU hosts, proxies, private installations, tests; PagerDuty, Opsgenie, Telegram), the optional
 * {@code link} template of {@link AlarmText}, and the control characters no key or header value may hold.
 *
 * <p>Messages never repeat a setting's value: a URL may carry a token.
 */
public final class ServiceSettings {

    /** The setting that replaces a service's fixed endpoint. */
    public static final String URL = "url";

    private ServiceSettings() {
    }

    /** Adds an error for a {@code url} setting that is present but not an absolute http(s) URL. */
    public static void checkUrl(Map<String, String> settings, List<FieldError> errors) {
        String url = settings.get(URL);
        if (url != null && !url.isBlank() && ServiceUrls.http(url) == null) {
            errors.add(new FieldError(URL, "must be an absolute http:// or https:// URL with a host"));
        }
    }

    /**
     * Adds an error for a {@code link} template that does not make an absolute http(s) URL. Channels that show a
     * link that is not a URL as text (Teams, Telegram) do not call this.
     */
    public static void checkLink(Map<String, String> settings, List<FieldError> errors) {
        String link = settings.get(AlarmText.LINK_SETTING);
        if (link != null && !link.isBlank() && ServiceUrls.http(link.strip().replace("{alarmKey}", "key")) == null) {
            errors.add(new FieldError(AlarmText.LINK_SETTING,
                    "must be an absolute http:// or https:// URL template, e.g. https://tocsin.example.com/alarms/{alarmKey}"));
        }
    }

    /** Whether {@code value} holds a line break or another control character (never valid in a key or header). */
    public static boolean hasControlCharacters(String value) {
        return value.chars().anyMatch(Character::isISOControl);
    }
}
