package io.tocsin.rules.view;

import io.tocsin.schema.AlarmState;
import io.tocsin.schema.wire.FieldError;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The order of an alarm list: {@code sort} is a comma-separated list of fields, each ascending or, with a leading
 * {@code -}, descending; ties end in alarm key order so paging is stable. The default, {@value #DEFAULT}, lists the
 * newest alarms first. Severity sorts WARNING before CRITICAL ({@code -severity} puts CRITICAL first).
 */
public final class AlarmOrder {

    public static final String DEFAULT = "-openedAt";

    /** The fields one can sort by, with their JSON names. */
    enum Field {
        OPENED_AT("openedAt", AlarmState::getOpenedAt),
        UPDATED_AT("updatedAt", AlarmState::getUpdatedAt),
        LAST_SEEN("lastSeen", alarm -> alarm.getLastSeen() != null ? alarm.getLastSeen() : alarm.getOpenedAt()),
        SEVERITY("severity", AlarmState::getSeverity),
        TYPE("type", AlarmState::getType),
        HOSTNAME("hostname", AlarmState::getHostname),
        CLUSTER("cluster", AlarmState::getCluster),
        SOURCE("source", AlarmState::getSource);

        final String json;
        final Comparator<AlarmState> ascending;

        <T extends Comparable<? super T>> Field(String json, Function<AlarmState, T> key) {
            this.json = json;
            this.ascending = Comparator.comparing(key, Comparator.nullsFirst(Comparator.naturalOrder()));
        }

        static Field named(String json) {
            return Arrays.stream(values()).filter(f -> f.json.equals(json)).findFirst().orElse(null);
        }
    }

    private AlarmOrder() {
    }

    /** The comparator {@code sort} asks for ({@link #DEFAULT} when absent); problems are added to {@code errors}. */
    public static Comparator<AlarmState> parse(String sort, List<FieldError> errors) {
        String spec = sort == null || sort.isBlank() ? DEFAULT : sort;
        if (spec.length() > QueryParameters.MAX_LENGTH) {
            errors.add(new FieldError("sort", "must be at most " + QueryParameters.MAX_LENGTH + " characters"));
            return byKey();
        }
        Comparator<AlarmState> order = null;
        for (String part : spec.split(",")) {
            String term = part.strip();
            boolean descending = term.startsWith("-");
            String name = descending || term.startsWith("+") ? term.substring(1) : term;
            Field field = Field.named(name);
            if (field == null) {
                errors.add(new FieldError("sort", "unknown field '" + QueryParameters.abbreviate(name) + "' (known: "
                        + Arrays.stream(Field.values()).map(f -> f.json).collect(Collectors.joining(", ")) + "; prefix - for descending)"));
                continue;
            }
            Comparator<AlarmState> next = descending ? field.ascending.reversed() : field.ascending;
            order = order == null ? next : order.thenComparing(next);
        }
        return order == null ? byKey() : order.thenComparing(byKey());
    }

    private static Comparator<AlarmState> byKey() {
        return Comparator.comparing(AlarmState::getAlarmKey);
    }
}
