package io.tocsin.schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The alarm key {@code source:alarmId} (DESIGN.md section 4): the identity alarms are deduplicated by. */
public final class AlarmKeys {

    private AlarmKeys() {
    }

    public static String of(String source, String alarmId) {
        return source + ":" + alarmId;
    }

    public static String of(RawAlarm alarm) {
        return of(alarm.getSource(), alarm.getAlarmId());
    }

    /**
     * A stable alarm id for an alarm a Tocsin service raises itself (metric thresholds, lost heartbeats, a process
     * that could not be restarted): {@code <type>-<16 hex digits>} of a SHA-256 over subject (a host or source),
     * type and instance. The same three always give the same id, so a repeated raise is deduplicated and the clear
     * finds its raise.
     */
    public static String stableId(String type, String subject, String instance) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((subject + '\0' + type + '\0' + (instance == null ? "" : instance)).getBytes(StandardCharsets.UTF_8));
            return type + "-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
