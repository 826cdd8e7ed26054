package io.tocsin.dispatcher.channel;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/**
 * The one check of a URL setting for every HTTP channel: an absolute {@code http://} or {@code https://} URL with a
 * host. {@link #http} takes it as given (a webhook URL may carry a query, e.g. Teams' {@code sig} or Discord's
 * {@code thread_id}); {@link #base} takes a base URL that the channel appends a path to, so it may not carry a query
 * or fragment, and the variants of that are {@link BaseRule}s.
 *
 * <p>Error contract: never throws; a value that does not qualify gives null. Callers never echo the value in a
 * message: URLs of several services carry their credential.
 */
public final class ServiceUrls {

    /** Further conditions a base URL may have to meet. */
    public enum BaseRule {
        /** No {@code user:password@}: the channel sends its own credentials, and a URL is no place for a password. */
        NO_USER_INFO,
        /** A non-empty path: the URL names a resource on the host, not just the host (Splunk On-Call's endpoint). */
        PATH_REQUIRED
    }

    private ServiceUrls() {
    }

    /**
     * {@code url} (surrounding white space ignored) when it is an absolute http(s) URL with a host, with any path,
     * query, fragment or user info; else null (also for null or blank).
     */
    public static URI http(String url) {
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

    /**
     * {@code url} as a base to append paths to: stripped of surrounding white space and trailing slashes, when it is
     * an {@link #http} URL without query or fragment that meets every one of {@code rules}; else null.
     */
    public static String base(String url, BaseRule... rules) {
        if (url == null || url.isBlank()) {
            return null;
        }
        String text = url.strip();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        URI uri = http(text);
        if (uri == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return null;
        }
        Set<BaseRule> required = Set.of(rules);
        if (required.contains(BaseRule.NO_USER_INFO) && uri.getRawUserInfo() != null) {
            return null;
        }
        if (required.contains(BaseRule.PATH_REQUIRED) && (uri.getRawPath() == null || uri.getRawPath().isEmpty())) {
            return null;
        }
        return text;
    }
}
