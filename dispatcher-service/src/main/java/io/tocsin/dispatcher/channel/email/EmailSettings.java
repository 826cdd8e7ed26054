package io.tocsin.dispatcher.channel.email;

import io.tocsin.schema.wire.FieldError;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The e-mail channel's settings of one integration, parsed and checked. {@link #parse} is used both to validate
 * an integration (at start or by the API) and before each attempt, so a setting that is accepted is exactly a
 * setting that can be used.
 *
 * <p>Error contract: {@link #parse} never throws; it returns the settings or one {@link FieldError} per offending
 * setting, naming the setting. No message contains a setting's value: not the password (a secret), and not the
 * others either, so that a secret pasted into the wrong setting is not echoed back.
 *
 * @param host     {@code smtp-host}: a host name or IP literal (IPv6 without brackets)
 * @param port     {@code smtp-port}, or the default port of {@code security}
 * @param security {@code security}
 * @param username {@code username}, or null: no SMTP AUTH
 * @param password {@code password} (secret), or null when there is no username
 * @param from     {@code from}
 * @param to       {@code to}, at least one
 * @param tlsTrust {@code tls-trust}: {@code *}, a space-separated host list, or null for the JDK trust store
 */
record EmailSettings(String host, int port, Security security, String username, String password,
                     InternetAddress from, List<InternetAddress> to, String tlsTrust) {

    static final String SMTP_HOST = "smtp-host";
    static final String SMTP_PORT = "smtp-port";
    static final String SECURITY = "security";
    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String FROM = "from";
    static final String TO = "to";
    static final String TLS_TRUST = "tls-trust";
    static final String TRUST_ANY = "*";

    // RFC 1123 host names; also matches IPv4 literals. IPv6 literals are checked with InetAddress.ofLiteral.
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}\\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    /** Settings or errors: exactly one of the two is non-empty. */
    record Parsed(EmailSettings settings, List<FieldError> errors) {

        boolean valid() {
            return errors.isEmpty();
        }
    }

    /** Parses the settings map of an integration; blank values count as absent. */
    static Parsed parse(Map<String, String> settings) {
        List<FieldError> errors = new ArrayList<>();

        String host = value(settings, SMTP_HOST);
        if (host == null) {
            errors.add(new FieldError(SMTP_HOST, "is required: the SMTP server's host name or IP address"));
        } else {
            host = unbracket(host);
            if (!validHost(host)) {
                errors.add(new FieldError(SMTP_HOST, "must be a host name or an IP address, without port or scheme"));
            }
        }

        Security security = Security.parse(value(settings, SECURITY)).orElse(null);
        if (security == null) {
            errors.add(new FieldError(SECURITY, "must be 'starttls' (the default), 'tls' or 'none'"));
        }

        int port = security == null ? 0 : security.defaultPort();
        String portText = value(settings, SMTP_PORT);
        if (portText != null) {
            port = parsePort(portText);
            if (port == 0) {
                errors.add(new FieldError(SMTP_PORT, "must be a port number from 1 to 65535"));
            }
        }

        String username = value(settings, USERNAME);
        String password = value(settings, PASSWORD);
        if (username != null && CONTROL.matcher(username).find()) {
            errors.add(new FieldError(USERNAME, "must not contain control characters or line breaks"));
        }
        if (username != null && password == null) {
            errors.add(new FieldError(PASSWORD, "is required when username is set"));
        }
        if (username == null && password != null) {
            errors.add(new FieldError(USERNAME, "is required when password is set (SMTP AUTH needs both)"));
        }

        InternetAddress from = null;
        List<InternetAddress> fromList = addresses(settings, FROM, errors);
        if (fromList != null && fromList.size() != 1) {
            errors.add(new FieldError(FROM, "must be exactly one e-mail address"));
        } else if (fromList != null) {
            from = fromList.getFirst();
        }
        List<InternetAddress> to = addresses(settings, TO, errors);

        String tlsTrust = value(settings, TLS_TRUST);
        if (tlsTrust != null) {
            tlsTrust = tlsTrust.trim();
            if (security == Security.NONE) {
                errors.add(new FieldError(TLS_TRUST, "applies only with security 'starttls' or 'tls'"));
            } else if (!TRUST_ANY.equals(tlsTrust)
                    && !Arrays.stream(tlsTrust.split("\\s+")).map(EmailSettings::unbracket).allMatch(EmailSettings::validHost)) {
                errors.add(new FieldError(TLS_TRUST, "must be '*' (trust any certificate: insecure) or a space-separated list of host names"));
            }
        }

        if (!errors.isEmpty()) {
            return new Parsed(null, List.copyOf(errors));
        }
        return new Parsed(new EmailSettings(host, port, security, username, password, from, List.copyOf(to), tlsTrust),
                List.of());
    }

    /** Whether certificates of any server are accepted without checks ({@code tls-trust: *}). */
    boolean trustsAnyCertificate() {
        return TRUST_ANY.equals(tlsTrust);
    }

    /** The password is left out. */
    @Override
    public String toString() {
        return "EmailSettings[" + security.settingValue() + "://" + host + ":" + port + ", auth "
                + (username != null) + ", " + to.size() + " recipient(s)]";
    }

    /**
     * The addresses of a required address-list setting, or null after adding an error. Only plain mailbox
     * addresses ({@code user@domain}, optionally {@code "Name" <user@domain>}) pass: no groups, no local-only
     * names, no line breaks (which could smuggle headers).
     */
    private static List<InternetAddress> addresses(Map<String, String> settings, String name, List<FieldError> errors) {
        String text = value(settings, name);
        if (text == null) {
            errors.add(new FieldError(name, "is required: " + (FROM.equals(name) ? "one e-mail address"
                    : "one or more comma-separated e-mail addresses")));
            return null;
        }
        if (CONTROL.matcher(text).find()) {
            errors.add(new FieldError(name, "must not contain control characters or line breaks"));
            return null;
        }
        InternetAddress[] parsed;
        try {
            parsed = InternetAddress.parse(text, true);
        } catch (AddressException e) {
            errors.add(new FieldError(name, "is not a valid comma-separated list of e-mail addresses"));
            return null;
        }
        if (parsed.length == 0) {
            errors.add(new FieldError(name, "must contain at least one e-mail address"));
            return null;
        }
        for (int i = 0; i < parsed.length; i++) {
            if (!validMailbox(parsed[i])) {
                errors.add(new FieldError(name, "address " + (i + 1) + " of " + parsed.length
                        + " is not a valid e-mail address (user@domain)"));
                return null;
            }
        }
        return List.of(parsed);
    }

    private static boolean validMailbox(InternetAddress address) {
        try {
            if (address.isGroup()) {
                return false;
            }
            address.validate();
        } catch (AddressException e) {
            return false;
        }
        String mailbox = address.getAddress();
        int at = mailbox.lastIndexOf('@');
        return at > 0 && at < mailbox.length() - 1 && validHost(unbracket(mailbox.substring(at + 1)));
    }

    static boolean validHost(String host) {
        if (HOST_NAME.matcher(host).matches()) {
            return true;
        }
        if (host.indexOf(':') < 0) {
            return false;
        }
        try {
            InetAddress.ofLiteral(host);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String unbracket(String host) {
        String trimmed = host.trim();
        return trimmed.startsWith("[") && trimmed.endsWith("]") ? trimmed.substring(1, trimmed.length() - 1) : trimmed;
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text.trim());
            return port >= 1 && port <= 65535 ? port : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String value(Map<String, String> settings, String name) {
        String value = settings.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * How the connection to the SMTP server is protected (setting {@code security}), and the port each mode uses
     * unless {@code smtp-port} says otherwise (RFC 6409 submission on 587, RFC 8314 implicit TLS on 465, relay
     * on 25).
     */
    enum Security {

        /** Plain connection upgraded with STARTTLS (RFC 3207); the server must offer it, else nothing is sent. */
        STARTTLS(587),
        /** Implicit TLS from the first byte ("SMTPS", RFC 8314). */
        TLS(465),
        /** No encryption: for a relay on the same host or a trusted network only. */
        NONE(25);

        private final int defaultPort;

        Security(int defaultPort) {
            this.defaultPort = defaultPort;
        }

        int defaultPort() {
            return defaultPort;
        }

        /** The setting's value as written in configuration. */
        String settingValue() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The mode named by a setting value, case-insensitive; {@link #STARTTLS} when blank; empty when unknown. */
        static Optional<Security> parse(String value) {
            if (value == null || value.isBlank()) {
                return Optional.of(STARTTLS);
            }
            for (Security security : values()) {
                if (security.settingValue().equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return Optional.of(security);
                }
            }
            return Optional.empty();
        }
    }
}
