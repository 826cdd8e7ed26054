package io.tocsin.schema.validation;

import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.wire.FieldError;
import io.tocsin.schema.wire.RecordValidator;
import java.util.ArrayList;
import java.util.List;

/**
 * Rules of a {@link RawAlarm} beyond its schema. {@code source} and {@code alarmId} form the alarm key and are
 * always required; a RAISED alarm also needs its {@code type} and {@code title}, while a CLEARED one needs
 * nothing else (the open alarm's content is kept by the rules service). Sizes are bounded so one alarm cannot
 * flood a chat channel or a topic.
 */
public final class RawAlarmValidator implements RecordValidator<RawAlarm> {

    public static final int MAX_SOURCE = 128;
    public static final int MAX_ALARM_ID = 256;
    public static final int MAX_TITLE = 1024;
    public static final int MAX_MESSAGE = 16 * 1024;
    public static final int MAX_TEXT = 4096;
    public static final int MAX_NAME = 256;
    /** The name alphabet of source and type. */
    public static final java.util.regex.Pattern NAME = Checks.NAME;
    /** Label bounds: entries, key length, value length. */
    public static final int MAX_LABELS = Checks.MAX_LABELS;
    public static final int MAX_LABEL_KEY = Checks.MAX_LABEL_KEY;
    public static final int MAX_LABEL_VALUE = Checks.MAX_LABEL_VALUE;

    @Override
    public List<FieldError> validate(RawAlarm alarm) {
        List<FieldError> errors = new ArrayList<>();
        Checks.name(errors, "source", alarm.getSource(), MAX_SOURCE);
        Checks.required(errors, "alarmId", alarm.getAlarmId(), MAX_ALARM_ID);
        if (alarm.getState() == RawAlarmState.RAISED) {
            Checks.name(errors, "type", alarm.getType(), MAX_NAME);
            Checks.required(errors, "title", alarm.getTitle(), MAX_TITLE);
        } else {
            Checks.maxLength(errors, "type", alarm.getType(), MAX_NAME);
            Checks.maxLength(errors, "title", alarm.getTitle(), MAX_TITLE);
        }
        Checks.maxLength(errors, "component", alarm.getComponent(), MAX_NAME);
        Checks.maxLength(errors, "cluster", alarm.getCluster(), MAX_NAME);
        Checks.maxLength(errors, "hostname", alarm.getHostname(), MAX_NAME);
        Checks.maxLength(errors, "message", alarm.getMessage(), MAX_MESSAGE);
        Checks.maxLength(errors, "recommendation", alarm.getRecommendation(), MAX_TEXT);
        Checks.labels(errors, alarm.getLabels());
        return errors;
    }
}
