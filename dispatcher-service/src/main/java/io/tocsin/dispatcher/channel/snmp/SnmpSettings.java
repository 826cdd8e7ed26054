package io.tocsin.dispatcher.channel.snmp;

import io.tocsin.schema.wire.FieldError;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The settings of one SNMP integration, checked and parsed. {@link #validate} names each offending setting and
 * never repeats a secret's value (community, passwords); {@link #parse} turns valid settings into this record.
 * {@link #toString()} leaves the community and the USM settings out.
 *
 * @param host      trap receiver: host name or IP address (IPv6 literals with or without brackets)
 * @param port      receiver's UDP port, 162 by default
 * @param version   {@link Version#V2C} (community) or {@link Version#V3} (USM)
 * @param community v2c community, {@code public} by default; null for v3
 * @param usm       v3 security settings; null for v2c
 * @param inform    send INFORMs (acknowledged) instead of TRAPs
 * @param layout    which MIB the varbinds follow
 */
record SnmpSettings(String host, int port, Version version, String community, UsmSettings usm, boolean inform,
                    Layout layout) {

    static final String HOST = "host";
    static final String PORT = "port";
    static final String VERSION = "version";
    static final String COMMUNITY = "community";
    static final String SECURITY_NAME = "security-name";
    static final String SECURITY_LEVEL = "security-level";
    static final String AUTH_PROTOCOL = "auth-protocol";
    static final String AUTH_PASSWORD = "auth-password";
    static final String PRIV_PROTOCOL = "priv-protocol";
    static final String PRIV_PASSWORD = "priv-password";
    static final String ENGINE_ID = "engine-id";
    static final String INFORM = "inform";
    static final String VARBINDS = "varbinds";

    static final Set<String> SECRETS = Set.of(COMMUNITY, AUTH_PASSWORD, PRIV_PASSWORD);
    private static final List<String> V3_ONLY = List.of(SECURITY_NAME, SECURITY_LEVEL, AUTH_PROTOCOL, AUTH_PASSWORD,
            PRIV_PROTOCOL, PRIV_PASSWORD, ENGINE_ID);

    static final int DEFAULT_PORT = 162;
    static final String DEFAULT_COMMUNITY = "public";
    /** RFC 3414 section 11.2: passwords shorter than 8 characters are refused by most agents. */
    static final int MIN_PASSWORD_LENGTH = 8;
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})");
    private static final Pattern HEX = Pattern.compile("(0x|0X)?[0-9A-Fa-f:]+");
    /** RFC 3411 engine id format 5: octets assigned by the enterprise. */
    private static final int ENGINE_ID_FORMAT_OCTETS = 5;
    private static final int ENGINE_ID_HASH_OCTETS = 12;

    enum Version { V2C, V3 }

    /** Which MIB the varbinds follow: {@link TocsinMib} or {@link PacemakerMib}. */
    enum Layout { TOCSIN, PACEMAKER }

    /** The USM security levels of RFC 3414, as net-snmp spells them ({@code -l}). */
    enum Level {
        NO_AUTH_NO_PRIV("noAuthNoPriv", org.snmp4j.security.SecurityLevel.NOAUTH_NOPRIV),
        AUTH_NO_PRIV("authNoPriv", org.snmp4j.security.SecurityLevel.AUTH_NOPRIV),
        AUTH_PRIV("authPriv", org.snmp4j.security.SecurityLevel.AUTH_PRIV);

        final String setting;
        final int snmp4j;

        Level(String setting, int snmp4j) {
            this.setting = setting;
            this.snmp4j = snmp4j;
        }

        boolean authenticates() {
            return this != NO_AUTH_NO_PRIV;
        }
    }

    /** Authentication protocols (RFC 3414 MD5 and SHA-1, RFC 7860 HMAC-SHA-2), as net-snmp spells them. */
    enum AuthProtocol { MD5, SHA, SHA_256, SHA_512 }

    /** Privacy protocols: DES (RFC 3414), AES-128 (RFC 3826), AES-256 (draft-blumenthal-aes-usm-04 key extension). */
    enum PrivProtocol { DES, AES, AES_256 }

    /**
     * SNMPv3 user-based security. Records compare by value, so equal settings find the same cached session.
     *
     * @param engineId     the local (sending) engine id, lower-case hex without separators
     * @param securityName the USM user name
     * @param level        security level
     * @param auth         authentication protocol; null for noAuthNoPriv
     * @param authPassword authentication pass phrase; null for noAuthNoPriv
     * @param priv         privacy protocol; null unless authPriv
     * @param privPassword privacy pass phrase; null unless authPriv
     */
    record UsmSettings(String engineId, String securityName, Level level, AuthProtocol auth, String authPassword,
                       PrivProtocol priv, String privPassword) {

        byte[] engineIdBytes() {
            return HexFormat.of().parseHex(engineId);
        }

        /** Pass phrases are left out. */
        @Override
        public String toString() {
            return "USM[user " + securityName + ", " + level.setting + ", engine 0x" + engineId + "]";
        }
    }

    /** The community and the USM pass phrases are left out. */
    @Override
    public String toString() {
        return "SNMP[" + host + ":" + port + ", " + (version == Version.V2C ? "v2c" : usm) + (inform ? ", inform" : ", trap")
                + ", " + layout.name().toLowerCase(Locale.ROOT) + "]";
    }

    /**
     * Checks the settings; one error per offending setting. Messages describe what is expected and never contain
     * a value that was given.
     */
    static List<FieldError> validate(Map<String, String> settings) {
        List<FieldError> errors = new ArrayList<>();
        Function<String, String> get = name -> blankToNull(settings.get(name));
        String host = get.apply(HOST);
        if (host == null) {
            errors.add(new FieldError(HOST, "is required: the trap receiver's host name or IP address"));
        } else if (!isHost(host)) {
            errors.add(new FieldError(HOST, "must be a host name or an IP address"));
        }
        String port = get.apply(PORT);
        if (port != null && parsePort(port) < 0) {
            errors.add(new FieldError(PORT, "must be a UDP port number from 1 to 65535"));
        }
        Version version = parseVersion(get.apply(VERSION));
        if (version == null) {
            errors.add(new FieldError(VERSION, "must be '2c' (the default) or '3'"));
        }
        if (parseBoolean(get.apply(INFORM)) == null) {
            errors.add(new FieldError(INFORM, "must be 'true' (INFORM, acknowledged) or 'false' (TRAP, the default)"));
        }
        if (parseLayout(get.apply(VARBINDS)) == null) {
            errors.add(new FieldError(VARBINDS, "must be 'tocsin' (TOCSIN-MIB, the default) or 'pacemaker' (PACEMAKER-MIB)"));
        }
        if (version == Version.V2C) {
            V3_ONLY.stream().filter(name -> get.apply(name) != null).forEach(name ->
                    errors.add(new FieldError(name, "applies to SNMPv3 only: set version to 3 or remove it")));
        } else if (version == Version.V3) {
            if (get.apply(COMMUNITY) != null) {
                errors.add(new FieldError(COMMUNITY, "applies to SNMP v2c only: SNMPv3 uses security-name and passwords"));
            }
            validateUsm(get, errors);
        }
        return errors;
    }

    private static void validateUsm(Function<String, String> get, List<FieldError> errors) {
        String name = get.apply(SECURITY_NAME);
        if (name == null) {
            errors.add(new FieldError(SECURITY_NAME, "is required for SNMPv3: the USM user name"));
        } else if (name.length() > 32) {
            errors.add(new FieldError(SECURITY_NAME, "must be at most 32 characters (RFC 3414)"));
        }
        Level level = parseLevel(get.apply(SECURITY_LEVEL));
        if (level == null) {
            errors.add(new FieldError(SECURITY_LEVEL, "must be 'noAuthNoPriv', 'authNoPriv' or 'authPriv' (the default)"));
        }
        if (parseAuth(get.apply(AUTH_PROTOCOL)) == null) {
            errors.add(new FieldError(AUTH_PROTOCOL, "must be 'SHA', 'SHA-256' (the default), 'SHA-512' or 'MD5'"));
        }
        if (parsePriv(get.apply(PRIV_PROTOCOL)) == null) {
            errors.add(new FieldError(PRIV_PROTOCOL, "must be 'AES' (AES-128, the default), 'AES-256' or 'DES'"));
        }
        if (level != null && level.authenticates()) {
            checkPassword(AUTH_PASSWORD, get.apply(AUTH_PASSWORD), level.setting, errors);
        }
        if (level == Level.AUTH_PRIV) {
            checkPassword(PRIV_PASSWORD, get.apply(PRIV_PASSWORD), level.setting, errors);
        }
        String engineId = get.apply(ENGINE_ID);
        if (engineId != null && parseEngineId(engineId) == null) {
            errors.add(new FieldError(ENGINE_ID, "must be 5 to 32 octets in hex (e.g. 0x80007ed90501020304), "
                    + "not all zeros nor all 0xff (RFC 3411)"));
        }
    }

    private static void checkPassword(String field, String value, String level, List<FieldError> errors) {
        if (value == null) {
            errors.add(new FieldError(field, "is required for security-level " + level));
        } else if (value.length() < MIN_PASSWORD_LENGTH) {
            errors.add(new FieldError(field, "must be at least " + MIN_PASSWORD_LENGTH + " characters (RFC 3414)"));
        }
    }

    /**
     * Parses settings that {@link #validate} accepts.
     *
     * @param integrationName names the default engine id ({@link #derivedEngineId})
     * @throws IllegalArgumentException naming the first invalid setting (never its value) when they are not valid
     */
    static SnmpSettings parse(Map<String, String> settings, String integrationName) {
        List<FieldError> errors = validate(settings);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(errors.getFirst().field() + " " + errors.getFirst().message());
        }
        Function<String, String> get = name -> blankToNull(settings.get(name));
        String host = get.apply(HOST).trim();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = get.apply(PORT) == null ? DEFAULT_PORT : parsePort(get.apply(PORT));
        Version version = parseVersion(get.apply(VERSION));
        boolean inform = parseBoolean(get.apply(INFORM));
        Layout layout = parseLayout(get.apply(VARBINDS));
        if (version == Version.V2C) {
            String community = settings.get(COMMUNITY);
            return new SnmpSettings(host, port, version, community == null || community.isEmpty() ? DEFAULT_COMMUNITY : community,
                    null, inform, layout);
        }
        Level level = parseLevel(get.apply(SECURITY_LEVEL));
        byte[] engineId = get.apply(ENGINE_ID) == null ? derivedEngineId(integrationName) : parseEngineId(get.apply(ENGINE_ID));
        UsmSettings usm = new UsmSettings(HexFormat.of().formatHex(engineId), get.apply(SECURITY_NAME).trim(), level,
                level.authenticates() ? parseAuth(get.apply(AUTH_PROTOCOL)) : null,
                level.authenticates() ? settings.get(AUTH_PASSWORD) : null,
                level == Level.AUTH_PRIV ? parsePriv(get.apply(PRIV_PROTOCOL)) : null,
                level == Level.AUTH_PRIV ? settings.get(PRIV_PASSWORD) : null);
        return new SnmpSettings(host, port, version, null, usm, inform, layout);
    }

    static boolean isHost(String host) {
        String trimmed = host.trim();
        if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
            trimmed = trimmed.substring(1, trimmed.length() - 1);
        }
        if (trimmed.indexOf(':') >= 0) {
            try {
                InetAddress.ofLiteral(trimmed); // no DNS: validation must not depend on the network
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return HOST_NAME.matcher(trimmed).matches();
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text.trim());
            return port >= 1 && port <= 65535 ? port : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Version parseVersion(String text) {
        if (text == null) {
            return Version.V2C;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "2c", "v2c" -> Version.V2C;
            case "3", "v3" -> Version.V3;
            default -> null;
        };
    }

    private static Boolean parseBoolean(String text) {
        if (text == null) {
            return false;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> null;
        };
    }

    private static Layout parseLayout(String text) {
        if (text == null) {
            return Layout.TOCSIN;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "tocsin" -> Layout.TOCSIN;
            case "pacemaker" -> Layout.PACEMAKER;
            default -> null;
        };
    }

    private static Level parseLevel(String text) {
        if (text == null) {
            return Level.AUTH_PRIV;
        }
        for (Level level : Level.values()) {
            if (level.setting.equalsIgnoreCase(text.trim())) {
                return level;
            }
        }
        return null;
    }

    private static AuthProtocol parseAuth(String text) {
        if (text == null) {
            return AuthProtocol.SHA_256;
        }
        return switch (text.trim().toUpperCase(Locale.ROOT)) {
            case "MD5" -> AuthProtocol.MD5;
            case "SHA", "SHA-1", "SHA1" -> AuthProtocol.SHA;
            case "SHA-256", "SHA256" -> AuthProtocol.SHA_256;
            case "SHA-512", "SHA512" -> AuthProtocol.SHA_512;
            default -> null;
        };
    }

    private static PrivProtocol parsePriv(String text) {
        if (text == null) {
            return PrivProtocol.AES;
        }
        return switch (text.trim().toUpperCase(Locale.ROOT)) {
            case "DES" -> PrivProtocol.DES;
            case "AES", "AES-128", "AES128" -> PrivProtocol.AES;
            case "AES-256", "AES256" -> PrivProtocol.AES_256;
            default -> null;
        };
    }

    /** The engine id's octets, or null unless it is 5 to 32 octets of hex, not all 0x00 nor all 0xff. */
    static byte[] parseEngineId(String text) {
        String trimmed = text.trim();
        if (!HEX.matcher(trimmed).matches()) {
            return null;
        }
        String hex = (trimmed.startsWith("0x") || trimmed.startsWith("0X") ? trimmed.substring(2) : trimmed).replace(":", "");
        if (hex.length() % 2 != 0 || hex.length() < 10 || hex.length() > 64) {
            return null;
        }
        byte[] octets = HexFormat.of().parseHex(hex);
        boolean allZero = true;
        boolean allOnes = true;
        for (byte octet : octets) {
            allZero &= octet == 0;
            allOnes &= octet == (byte) 0xff;
        }
        return allZero || allOnes ? null : octets;
    }

    /**
     * The engine id of an integration that does not set {@code engine-id}. A trap's sender is the authoritative
     * engine (RFC 3414 section 1.5.1), so the receiver must know the sender's engine id in advance (net-snmp:
     * {@code createUser -e <engineID> ...}); a random id per start, SNMP4J's default, would break every receiver
     * at each restart. The id is therefore derived from the integration's name: stable across restarts and the
     * same on every dispatcher replica.
     *
     * <p>Format (RFC 3411 SnmpEngineID, "new" format): {@code 0x80 | enterprise number} in 4 octets, format octet
     * {@code 05} (administratively assigned octets), then the first 12 octets of SHA-256 of
     * {@code tocsin-snmp:<name>}: 17 octets, within RFC 3411's 5 to 32.
     */
    static byte[] derivedEngineId(String integrationName) {
        int enterprise = TocsinMib.ENTERPRISE_NUMBER;
        byte[] id = new byte[5 + ENGINE_ID_HASH_OCTETS];
        id[0] = (byte) (0x80 | ((enterprise >>> 24) & 0x7f));
        id[1] = (byte) (enterprise >>> 16);
        id[2] = (byte) (enterprise >>> 8);
        id[3] = (byte) enterprise;
        id[4] = ENGINE_ID_FORMAT_OCTETS;
        byte[] hash = sha256(("tocsin-snmp:" + integrationName).getBytes(StandardCharsets.UTF_8));
        System.arraycopy(hash, 0, id, 5, ENGINE_ID_HASH_OCTETS);
        return id;
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
