package io.tocsin.dispatcher.channel.pagerduty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The correlation key an incident service gets for an alarm: the alarm key itself when it fits the service's
 * limit (PagerDuty {@code dedup_key} 255 characters, Opsgenie {@code alias} 512), otherwise a stable shortening,
 * so the trigger and the resolve of one alarm always carry the same key, after any restart and on any node.
 *
 * <p>The shortening keeps the start of the key (readable in the service's UI), then {@code ~} and the 64 hex
 * digits of the SHA-256 of the whole key (UTF-8): two long keys that share a prefix still differ. Lengths are
 * counted in characters (Unicode code points), as the services count them.
 */
public final class CorrelationKey {

    /** Characters the hash suffix takes: {@code ~} and 64 hex digits. */
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
        if (maxChars <= SUFFIX_LENGTH) {
            throw new IllegalArgumentException("a correlation key limit must exceed " + SUFFIX_LENGTH + " characters");
        }
        if (alarmKey.codePointCount(0, alarmKey.length()) <= maxChars) {
            return alarmKey;
        }
        int prefixEnd = alarmKey.offsetByCodePoints(0, maxChars - SUFFIX_LENGTH);
        return alarmKey.substring(0, prefixEnd) + "~" + sha256Hex(alarmKey);
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
