package io.tocsin.rules.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.tocsin.schema.SourceStatus;
import java.time.Duration;

/**
 * A raw-alarm producer as the unified view shows it ({@code source-status-store}) with its open alarms.
 *
 * @param source           the producer's name
 * @param status           {@code unknown} when it declared no expected interval (no heartbeat is kept), else
 *                         {@code offline} while its heartbeat-lost alarm is open and {@code online} otherwise
 * @param lastEventAt      event time of its newest raw alarm
 * @param lastReceivedAt   when its newest raw alarm was processed
 * @param raised           RAISED records received
 * @param cleared          CLEARED records received
 * @param expectedInterval the interval it declared, ISO-8601 ({@code PT1M}); null when none
 * @param openAlarms       its open alarms by severity
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "Source", description = "A producer of raw alarms: activity, heartbeat status and open alarms")
public record SourceView(String source,
                         @Schema(allowableValues = {"online", "offline", "unknown"}) String status,
                         @Schema(format = "date-time") String lastEventAt,
                         @Schema(format = "date-time") String lastReceivedAt,
                         long raised, long cleared,
                         @Nullable @Schema(description = "ISO-8601 duration, e.g. PT1M; null when the source declared none") String expectedInterval,
                         SeverityCounts openAlarms) {

    public static SourceView of(SourceStatus status, SeverityCounts openAlarms) {
        Long interval = status.getExpectedIntervalMillis();
        String state = interval == null ? "unknown" : status.getOnline() ? "online" : "offline";
        return new SourceView(status.getSource(), state, status.getLastEventAt().toString(), status.getLastReceivedAt().toString(),
                status.getRaised(), status.getCleared(), interval == null ? null : Duration.ofMillis(interval).toString(), openAlarms);
    }
}
