package io.tocsin.dispatcher.channel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.IntPredicate;

/**
 * The correlation key an incident service gets for an alarm: the alarm key itself when it fits the service's
 * limit (PagerDuty {@code dedup_key} 255 characters, Opsgenie {@code alias} 512, ServiceNow {@code correlation_id}
 * 100), otherwise a stable shortening, so the trigger and the resolve of one alarm always carry the same key, after
 * any restart and on any node.
 *
 * <p>The shortening keeps the start of the key (readable in the service's UI), then a separator ({@code ~} unless
 * the service needs another) and the 64 hex digits of the SHA-256 of the whole key (UTF-8): two long keys that
 * share a prefix still differ. A service may also forbid characters ({@code unsafe}): a key holding one is
 * shortened too, whatever its length, and they are replaced by {@code _} in the kept start. Lengths are counted
 * in characters (Unicode code points), as the services count them.
 */
public final class CorrelationKey {

    /** Characters the hash suffix takes: the separator and 64 hex digits. */
    static final int SUFFIX_LENGTH = 65;

    private CorrelationKey() {
    }

    /**
     * {@code alarmKey} when it has at most {@code maxChars} characters, else its first characters, {@code ~} and
     * its SHA-256 in hex, exactly {@code maxChars} characters in all.
     *
     * @throws IllegalArgumentException when {@code maxChars} leaves no room for a prefix and the hash (a bug)
     */
    public static String of(String alarmKey, int maxChars) {
        return of(alarmKey, maxChars, '~', c -> false);
    }

    /**
     * {@code alarmKey} when it has at most {@code maxChars} characters and none for which {@code unsafe} holds;
     * else its first characters (at most {@code maxChars} − {@value #SUFFIX_LENGTH}, unsafe ones replaced by
     * {@code _}), {@code separator} and its SHA-256 in hex.
     *
     * @throws IllegalArgumentException when {@code maxChars} leaves no room for a prefix and the hash (a bug)
     */
    public static String of(String alarmKey, int maxChars, char separator, IntPredicate unsafe) {
        if (maxChars <= SUFFIX_LENGTH) {
            throw new IllegalArgumentException("a correlation key limit must exceed " + SUFFIX_LENGTH + " characters");
        }
        int length = alarmKey.codePointCount(0, alarmKey.length());
        if (length <= maxChars && alarmKey.codePoints().noneMatch(unsafe)) {
            return alarmKey;
        }
        int prefixEnd = alarmKey.offsetByCodePoints(0, Math.min(length, maxChars - SUFFIX_LENGTH));
        StringBuilder key = new StringBuilder(maxChars + 1);
        alarmKey.substring(0, prefixEnd).codePoints().forEach(c -> key.appendCodePoint(unsafe.test(c) ? '_' : c));
        return key.append(separator).append(sha256Hex(alarmKey)).toString();
    }

    private static String sha256Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
