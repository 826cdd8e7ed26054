package io.tocsin.rules.view;

import io.tocsin.rules.catalogue.AlarmCatalogue;
import io.tocsin.rules.definition.Glob;
import io.tocsin.schema.AlarmState;
import io.tocsin.schema.Severity;
import io.tocsin.schema.wire.FieldError;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Which open alarms a query wants. {@code severity} and {@code category} are closed vocabularies compared in any
 * case (an unknown value is refused rather than silently matching nothing); {@code type}, {@code hostname},
 * {@code cluster}, {@code source} and {@code component} are case-sensitive globs ({@code *}, {@code ?});
 * {@code q} is a case-insensitive substring of the title, message, hostname or type. Immutable.
 */
public final class AlarmFilter implements Predicate<AlarmState> {

    private final Set<Severity> severities;
    private final Set<String> categories;
    private final Predicate<AlarmState> globs;
    private final Boolean silenced;
    private final String text;

    private AlarmFilter(Set<Severity> severities, Set<String> categories, Predicate<AlarmState> globs, Boolean silenced, String text) {
        this.severities = severities;
        this.categories = categories;
        this.globs = globs;
        this.silenced = silenced;
        this.text = text;
    }

    /** The filter the parameters ask for; problems are added to {@code errors} naming each parameter. */
    public static AlarmFilter parse(AlarmFilterParameters parameters, List<FieldError> errors) {
        Set<Severity> severities = EnumSet.noneOf(Severity.class);
        for (String value : QueryParameters.list("severity", parameters.severity(), errors)) {
            try {
                severities.add(Severity.valueOf(value.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("severity", "must be WARNING or CRITICAL, not '" + QueryParameters.abbreviate(value) + "'"));
            }
        }
        Set<String> categories = new HashSet<>();
        for (String value : QueryParameters.list("category", parameters.category(), errors)) {
            if (AlarmCatalogue.CATEGORIES.stream().noneMatch(known -> known.equalsIgnoreCase(value))) {
                errors.add(new FieldError("category", "'" + QueryParameters.abbreviate(value) + "' is not a category (known: "
                        + String.join(", ", AlarmCatalogue.CATEGORIES) + ")"));
            }
            categories.add(value.toLowerCase(Locale.ROOT));
        }
        Predicate<AlarmState> globs = anyGlob("type", parameters.type(), AlarmState::getType, errors)
                .and(anyGlob("hostname", parameters.hostname(), AlarmState::getHostname, errors))
                .and(anyGlob("cluster", parameters.cluster(), AlarmState::getCluster, errors))
                .and(anyGlob("source", parameters.source(), AlarmState::getSource, errors))
                .and(anyGlob("component", parameters.component(), AlarmState::getComponent, errors));
        Boolean silenced = QueryParameters.bool("silenced", parameters.silenced(), errors);
        String text = QueryParameters.text("q", parameters.q(), errors);
        return new AlarmFilter(severities, categories, globs, silenced, text == null ? null : text.toLowerCase(Locale.ROOT));
    }

    @Override
    public boolean test(AlarmState alarm) {
        return (severities.isEmpty() || severities.contains(alarm.getSeverity()))
                && (categories.isEmpty() || alarm.getCategories().stream().anyMatch(c -> categories.contains(c.toLowerCase(Locale.ROOT))))
                && (silenced == null || silenced == alarm.getSilenced())
                && (text == null || contains(alarm.getTitle()) || contains(alarm.getMessage()) || contains(alarm.getHostname())
                        || contains(alarm.getType()))
                && globs.test(alarm);
    }

    private boolean contains(String field) {
        return field != null && field.toLowerCase(Locale.ROOT).contains(text);
    }

    private static Predicate<AlarmState> anyGlob(String name, List<String> raw, Function<AlarmState, String> field,
                                                 List<FieldError> errors) {
        List<String> patterns = QueryParameters.list(name, raw, errors);
        if (patterns.isEmpty()) {
            return alarm -> true;
        }
        return alarm -> {
            String value = field.apply(alarm);
            return patterns.stream().anyMatch(glob -> Glob.matches(glob, value == null ? "" : value));
        };
    }
}
