package io.tocsin.collector.probe;

/**
 * A {@code host:port} a probe connects to. {@link #toString()} is the text form again, which is also the
 * {@code instance} of a {@code tls.cert.days.left} sample.
 *
 * @param host a host name or an IP address (an IPv6 literal without its brackets)
 * @param port 1 to 65535
 */
public record Endpoint(String host, int port) {

    /**
     * Parses {@code host:port}, or {@code [v6-address]:port}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Endpoint parse(String text) {
        String value = text == null ? "" : text.strip();
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("must be host:port, was '" + value + "'");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("an IPv6 address needs brackets, [address]:port, was '" + value + "'");
        }
        if (host.isBlank() || host.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("must name a host, was '" + value + "'");
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must end with a port number, was '" + value + "'");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be from 1 to 65535, was " + port);
        }
        return new Endpoint(host, port);
    }

    /** Whether the host is an IP literal (no server name to send as SNI). */
    public boolean isAddressLiteral() {
        return host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
