package io.tocsin.dispatcher.channel.splunkoncall;

import io.tocsin.dispatcher.channel.AlarmText;
import io.tocsin.dispatcher.channel.ServiceSettings;
import io.tocsin.dispatcher.channel.ServiceUrls;
import io.tocsin.dispatcher.channel.ServiceUrls.BaseRule;
import io.tocsin.schema.wire.FieldError;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of a Splunk On-Call (VictorOps) integration and the alert URL they make.
 *
 * <p>Splunk On-Call's REST endpoint integration shows a URL such as
 * {@code https://alert.victorops.com/integrations/generic/20131114/alert/<api-key>/$routing_key}: the API key is
 * a path segment (so the whole URL is a secret) and the last segment is to be replaced by a routing key
 * (<a href="https://help.victorops.com/knowledge-base/victorops-restendpoint-integration/">REST endpoint</a>).
 * {@code restEndpointUrl} takes that URL with or without the {@code /$routing_key} placeholder; {@code routingKey}
 * is appended as the last path segment, percent-encoded. The routing key only picks a team's escalation policy
 * and is not secret.
 *
 * <p>Error contract: {@link #validate} names the offending setting and never echoes the URL;
 * {@link #alertUri} returns null for settings that do not make a URL.
 */
final class SplunkOnCallSettings {

    static final String REST_ENDPOINT_URL = "restEndpointUrl";
    static final String ROUTING_KEY = "routingKey";
    static final Set<String> NAMES = Set.of(REST_ENDPOINT_URL, ROUTING_KEY, AlarmText.LINK_SETTING);

    /** The placeholder segment Splunk On-Call's integration page ends the URL with. */
    private static final String PLACEHOLDER = "/$routing_key";
    /** One path segment: no separators, no whitespace or control characters. */
    private static final Pattern ROUTING_KEY_SYNTAX = Pattern.compile("[^/?#%\\s\\p{Cntrl}]{1,256}");

    private SplunkOnCallSettings() {
    }

    static List<FieldError> validate(Map<String, String> settings) {
        List<FieldError> errors = new ArrayList<>();
        if (endpoint(settings.get(REST_ENDPOINT_URL)) == null) {
            errors.add(new FieldError(REST_ENDPOINT_URL, "must be the REST endpoint URL of a Splunk On-Call REST integration: "
                    + "an absolute http:// or https:// URL with a host and no query, e.g. "
                    + "https://alert.victorops.com/integrations/generic/20131114/alert/<api-key>"));
        }
        String routingKey = settings.get(ROUTING_KEY);
        if (routingKey == null || routingKey.isBlank()) {
            errors.add(new FieldError(ROUTING_KEY, "is required: the Splunk On-Call routing key that selects the team"));
        } else if (!ROUTING_KEY_SYNTAX.matcher(routingKey.strip()).matches()) {
            errors.add(new FieldError(ROUTING_KEY, "must be one routing key (at most 256 characters, without '/', '?', '#', '%' or spaces)"));
        }
        ServiceSettings.checkLink(settings, errors);
        return errors;
    }

    /** The URL alerts are POSTed to, or null when the settings do not make one. */
    static URI alertUri(String restEndpointUrl, String routingKey) {
        String endpoint = endpoint(restEndpointUrl);
        if (endpoint == null || routingKey == null || !ROUTING_KEY_SYNTAX.matcher(routingKey.strip()).matches()) {
            return null;
        }
        String segment = URLEncoder.encode(routingKey.strip(), StandardCharsets.UTF_8).replace("+", "%20");
        try {
            return new URI(endpoint + "/" + segment);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /**
     * The REST endpoint URL without the {@code /$routing_key} placeholder and trailing slashes, or null when it is
     * not an absolute http(s) URL with a host and a path, without query or fragment.
     */
    static String endpoint(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        String text = url.strip();
        if (text.endsWith(PLACEHOLDER)) {
            text = text.substring(0, text.length() - PLACEHOLDER.length());
        }
        return ServiceUrls.base(text, BaseRule.PATH_REQUIRED);
    }

    /**
     * The path segments of the endpoint long enough to be a key, for removing from a service's message before it
     * becomes a reason: a message that quoted the URL must not leak the API key.
     */
    static List<String> secretParts(String restEndpointUrl) {
        String endpoint = endpoint(restEndpointUrl);
        if (endpoint == null) {
            return List.of();
        }
        List<String> parts = new ArrayList<>();
        for (String segment : URI.create(endpoint).getRawPath().split("/")) {
            if (segment.length() >= 8) {
                parts.add(segment);
            }
        }
        return parts;
    }
}
