package io.tocsin.common.security;

import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks presented API tokens against the configured ones. Only SHA-256 digests are held, compared in constant
 * time. The admin token also grants ingest. With no token configured for a role, every request needing it is
 * refused (secure by default).
 */
@Singleton
public class ApiTokens {

    /** What a token grants. */
    public enum Role { INGEST, ADMIN }

    private static final Logger LOG = LoggerFactory.getLogger(ApiTokens.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Optional<byte[]> ingest;
    private final Optional<byte[]> admin;

    public ApiTokens(SecuritySettings settings) {
        this.ingest = digestOf("ingest", settings.ingestToken(), settings.ingestTokenSha256());
        this.admin = digestOf("admin", settings.adminToken(), settings.adminTokenSha256());
        if (ingest.isEmpty() && admin.isEmpty()) {
            LOG.warn("No API token is configured (tocsin.security.ingest-token / admin-token): every /api request will be refused");
        }
    }

    /** Whether {@code presented} grants {@code role}. */
    public boolean grants(String presented, Role role) {
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        byte[] digest = sha256(presented);
        boolean isAdmin = admin.map(d -> MessageDigest.isEqual(d, digest)).orElse(false);
        boolean isIngest = ingest.map(d -> MessageDigest.isEqual(d, digest)).orElse(false);
        return isAdmin || (role == Role.INGEST && isIngest);
    }

    /** A new random token: 32 bytes, URL-safe base64, prefixed by its role so a leaked one is recognisable. */
    public static String generate(Role role) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "tocsin_" + role.name().toLowerCase() + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    private static Optional<byte[]> digestOf(String role, String token, String digestHex) {
        if (token != null && !token.isBlank()) {
            return Optional.of(sha256(token));
        }
        if (digestHex != null && !digestHex.isBlank()) {
            try {
                byte[] digest = HexFormat.of().parseHex(digestHex.strip());
                if (digest.length != 32) {
                    throw new IllegalArgumentException("length " + digest.length);
                }
                return Optional.of(digest);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tocsin.security." + role + "-token-sha256 must be 64 hex digits");
            }
        }
        return Optional.empty();
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
