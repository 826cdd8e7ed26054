package io.tocsin.rules.silence;

import io.tocsin.schema.Silence;
import java.time.Instant;

/** Where a silence stands at a given time: before its window, in it, or after it. */
public enum SilenceStatus {
    /** Not started: {@code now < startsAt}. */
    PENDING,
    /** In its window, {@code [startsAt, endsAt)}: matching alarms are held back. */
    ACTIVE,
    /** Over: {@code now >= endsAt}, by its planned end or ended early. */
    EXPIRED;

    public static SilenceStatus of(Silence silence, Instant now) {
        if (!now.isBefore(silence.getEndsAt())) {
            return EXPIRED;
        }
        return SilenceMatcher.active(silence, now) ? ACTIVE : PENDING;
    }
}
