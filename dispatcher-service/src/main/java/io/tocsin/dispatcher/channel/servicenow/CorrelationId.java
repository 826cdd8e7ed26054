package io.tocsin.dispatcher.channel.servicenow;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The ServiceNow correlation value of an alarm: the incident's {@code correlation_id} and the event's
 * {@code message_key}. It is the alarm key itself when that fits: at most {@value #MAX_LENGTH} characters (the
 * task table's {@code correlation_id} length) and free of {@code ^} and control characters, which would break
 * the encoded query that finds the incident again. Otherwise it is a stable shortening: the key's first
 * {@value #PREFIX_LENGTH} characters (with {@code ^} and control characters replaced by {@code _}), {@code #},
 * then the 64 hex digits of the SHA-256 of the whole key (UTF-8) — exactly 100 characters, the same for every
 * event of the alarm and after any restart.
 */
final class CorrelationId {

    static final int MAX_LENGTH = 100;
    static final int PREFIX_LENGTH = MAX_LENGTH - 1 - 64;

    private CorrelationId() {
    }

    static String of(String alarmKey) {
        boolean safe = alarmKey.codePointCount(0, alarmKey.length()) <= MAX_LENGTH
                && alarmKey.indexOf('^') < 0 && alarmKey.chars().noneMatch(Character::isISOControl);
        if (safe) {
            return alarmKey;
        }
        int cut = alarmKey.offsetByCodePoints(0, Math.min(PREFIX_LENGTH, alarmKey.codePointCount(0, alarmKey.length())));
        String prefix = alarmKey.substring(0, cut).replaceAll("[\\^\\p{Cntrl}]", "_");
        return prefix + "#" + HexFormat.of().formatHex(sha256(alarmKey));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
