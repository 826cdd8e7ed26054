package io.tocsin.schema;

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
}
