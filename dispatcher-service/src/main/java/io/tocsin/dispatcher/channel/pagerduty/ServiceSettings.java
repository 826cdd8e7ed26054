package io.tocsin.dispatcher.channel.pagerduty;

import io.tocsin.dispatcher.channel.AlarmText;
import io.tocsin.schema.wire.FieldError;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;

/**
 * Checks of the settings every incident-service channel shares (PagerDuty, Opsgenie): the optional {@code url}
 * that replaces the service's fixed endpoint (EU hosts, proxies, private installations, tests) and the optional
 * {@code link} template of {@link AlarmText}. Public so the Opsgenie channel uses the same rules.
 *
 * <p>Messages never repeat a setting's value: a URL may carry a token.
 */
public final class ServiceSettings {

    /** The setting that replaces a service's fixed endpoint. */
    public static final String URL = "url";

    private ServiceSettings() {
    }

    /** {@code url} when it is an absolute http(s) URL with a host, else null. */
    public static URI parseHttpUrl(String url) {
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

    /** Adds an error for a {@code url} setting that is present but not an absolute http(s) URL. */
    public static void checkUrl(Map<String, String> settings, List<FieldError> errors) {
        String url = settings.get(URL);
        if (url != null && !url.isBlank() && parseHttpUrl(url) == null) {
            errors.add(new FieldError(URL, "must be an absolute http:// or https:// URL with a host"));
        }
    }

    /** Adds an error for a {@code link} template that does not make an absolute http(s) URL. */
    public static void checkLink(Map<String, String> settings, List<FieldError> errors) {
        String link = settings.get(AlarmText.LINK_SETTING);
        if (link != null && !link.isBlank() && parseHttpUrl(link.strip().replace("{alarmKey}", "key")) == null) {
            errors.add(new FieldError(AlarmText.LINK_SETTING,
                    "must be an absolute http:// or https:// URL template, e.g. https://tocsin.example.com/alarms/{alarmKey}"));
        }
    }

    /** Whether {@code value} holds a line break or another control character (never valid in a key or header). */
    public static boolean hasControlCharacters(String value) {
        return value.chars().anyMatch(Character::isISOControl);
    }
}
