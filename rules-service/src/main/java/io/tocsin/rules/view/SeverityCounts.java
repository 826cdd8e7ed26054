package io.tocsin.rules.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.tocsin.schema.AlarmState;
import io.tocsin.schema.Severity;
import java.util.Collection;

/**
 * How many alarms are open, by severity.
 *
 * @param total    all of them
 * @param warning  the WARNING ones
 * @param critical the CRITICAL ones
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "OpenAlarmCounts", description = "Open alarms by severity")
public record SeverityCounts(long total, long warning, long critical) {

    public static SeverityCounts of(Collection<AlarmState> alarms) {
        long critical = alarms.stream().filter(alarm -> alarm.getSeverity() == Severity.CRITICAL).count();
        return new SeverityCounts(alarms.size(), alarms.size() - critical, critical);
    }
}
