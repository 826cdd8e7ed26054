package io.tocsin.rules.silence;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.tocsin.schema.Silence;
import java.time.Instant;

/**
 * A silence as the API returns it, with its status at the time of the answer. Every field is always present (a
 * matcher left out is {@code null}, no comment is {@code ""}), so clients need not guess what an absent field means.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "Silence", description = "A maintenance window; matchers left out match any alarm")
public record SilenceView(
        @Schema(description = "Silence id (a UUID)") String id,
        @Nullable @Schema(description = "Glob on the alarm's cluster") String cluster,
        @Nullable @Schema(description = "Glob on the alarm's hostname") String host,
        @Nullable @Schema(description = "Glob on the alarm type") String type,
        @Nullable @Schema(description = "Glob on any of the alarm's categories, ignoring case") String category,
        @Nullable @Schema(description = "Glob on the alarm's source") String source,
        @Schema(description = "Start of the window, inclusive") Instant startsAt,
        @Schema(description = "End of the window, exclusive; the time it was ended when ended early") Instant endsAt,
        @Schema(description = "Who created it") String author,
        @Schema(description = "Why; empty when not given") String comment,
        @Schema(description = "When it was created") Instant createdAt,
        @Schema(description = "Whether it was ended (DELETE) before its planned end") boolean endedEarly,
        @Schema(description = "PENDING before startsAt, ACTIVE in [startsAt, endsAt), EXPIRED from endsAt on")
        SilenceStatus status) {

    public static SilenceView of(Silence silence, Instant now) {
        return new SilenceView(silence.getId(), silence.getCluster(), silence.getHost(), silence.getType(),
                silence.getCategory(), silence.getSource(), silence.getStartsAt(), silence.getEndsAt(), silence.getAuthor(),
                silence.getComment(), silence.getCreatedAt(), silence.getEndedEarly(), SilenceStatus.of(silence, now));
    }
}
