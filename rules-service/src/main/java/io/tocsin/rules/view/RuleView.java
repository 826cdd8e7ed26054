package io.tocsin.rules.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.tocsin.rules.definition.Condition;
import io.tocsin.rules.definition.MessageTemplate;
import io.tocsin.rules.definition.Rule;
import io.tocsin.rules.definition.ThresholdOverride;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * An effective rule as {@code GET /api/v1/rules} shows it, spelt as in a rules file (docs/alarms.md): conditions as
 * {@code above 80} or {@code between [6, 12]}, durations as {@code 10m}, enums in lower case. Fields that do not
 * apply to the rule's kind are null.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "Rule", description = "An effective alarm rule (shipped default or from tocsin.rules.rules-dir)")
public record RuleView(String type,
                       @Schema(allowableValues = {"metric", "event"}) String kind,
                       @Nullable @Schema(description = "Metric watched, e.g. host.cpu.usage") String metric,
                       @Nullable @Schema(description = "Instance glob; null for every instance") String instance,
                       @Nullable @Schema(description = "e.g. above 80") String warning,
                       @Nullable @Schema(description = "e.g. above 90") String critical,
                       @Nullable @Schema(allowableValues = {"last", "avg", "max", "min", "sum", "count", "rate"}) String aggregate,
                       @Nullable @Schema(description = "Aggregation window, e.g. 15m") String window,
                       @Nullable @Schema(description = "How long a condition must hold, e.g. 5m") String sustained,
                       @Nullable @Schema(description = "How many consecutive samples must satisfy it") Integer consecutive,
                       @Nullable @Schema(description = "Explicit clear condition (hysteresis)") String clear,
                       @Nullable EscalationView escalate,
                       @Nullable @Schema(allowableValues = {"WARNING", "CRITICAL"}, description = "Fixed severity of event rules") String severity,
                       String component,
                       List<String> categories,
                       @Nullable String title,
                       @Nullable String message,
                       @Nullable String recommendation,
                       List<OverrideView> overrides) {

    /** Escalation to CRITICAL after a number of cycles or a duration (one of the two). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "RuleEscalation")
    public record EscalationView(@Nullable Integer cycles, @Nullable @Schema(description = "e.g. 30m") String after) {
    }

    /** Thresholds for the clusters and hosts the globs pick (host &gt; cluster &gt; default). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "RuleOverride")
    public record OverrideView(@Nullable String cluster, @Nullable String host, @Nullable String warning, @Nullable String critical) {
    }

    public static RuleView of(Rule rule) {
        EscalationView escalate = rule.escalate() == null ? null
                : new EscalationView(rule.escalate().cycles(), duration(rule.escalate().after()));
        List<OverrideView> overrides = rule.overrides().stream().map(RuleView::override).toList();
        return new RuleView(rule.type(), lower(rule.kind()), rule.metric(), rule.instance(), text(rule.warning()), text(rule.critical()),
                lower(rule.aggregate()), duration(rule.window()), duration(rule.sustained()), rule.consecutive(), text(rule.clear()),
                escalate, rule.severity() == null ? null : rule.severity().name(), rule.component(), rule.categories(),
                template(rule.title()), template(rule.message()), template(rule.recommendation()), overrides);
    }

    private static OverrideView override(ThresholdOverride override) {
        return new OverrideView(override.cluster(), override.host(), text(override.warning()), text(override.critical()));
    }

    private static String text(Condition condition) {
        return condition == null ? null : condition.toString();
    }

    private static String template(MessageTemplate template) {
        return template == null ? null : template.source();
    }

    private static String lower(Enum<?> value) {
        return value == null ? null : value.name().toLowerCase(Locale.ROOT);
    }

    /** A duration as a rules file writes it: the largest whole unit of d, h, m, s, ms. */
    static String duration(Duration duration) {
        if (duration == null) {
            return null;
        }
        long millis = duration.toMillis();
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (millis % sizes[i] == 0) {
                return millis / sizes[i] + units[i];
            }
        }
        return millis + "ms";
    }
}
