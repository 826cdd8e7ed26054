package io.tocsin.rules.view;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import io.tocsin.common.http.ProblemException;
import io.tocsin.rules.definition.Glob;
import io.tocsin.rules.streams.RulesStreams;
import io.tocsin.schema.AlarmState;
import io.tocsin.schema.HostStatus;
import io.tocsin.schema.SourceStatus;
import io.tocsin.schema.validation.RawAlarmValidator;
import io.tocsin.schema.wire.FieldError;
import io.tocsin.schema.wire.InvalidRecordException;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The unified view (cmon-proxy's, seed 002): open alarms, their counts, hosts and sources over every rules-service
 * instance, answered from the state stores through {@link StoreQueries}.
 *
 * <p>Error contract: invalid query parameters give an {@link InvalidRecordException} (400 naming each parameter);
 * an unknown alarm, host or source a {@link ProblemException} 404; stores not queryable a
 * {@link StoreUnavailableException} (503 with Retry-After); see {@link StoreQueries} for the rest.
 * {@code authorization} is the caller's {@code Authorization} header, passed on to the other instances.
 */
@Singleton
@Requires(beans = RulesStreams.class)
public class UnifiedView {

    /** The longest alarm key: a source and an alarm id at their limits, and the colon. */
    static final int MAX_KEY = RawAlarmValidator.MAX_SOURCE + 1 + RawAlarmValidator.MAX_ALARM_ID;

    private final StoreQueries stores;

    public UnifiedView(StoreQueries stores) {
        this.stores = stores;
    }

    /** The open alarms matching the filters, sorted and paged, with their total. */
    public AlarmPage alarms(AlarmFilterParameters filters, String sort, String page, String size, String authorization) {
        List<FieldError> errors = new ArrayList<>();
        AlarmFilter filter = AlarmFilter.parse(filters, errors);
        Comparator<AlarmState> order = AlarmOrder.parse(sort, errors);
        Paging paging = Paging.parse(page, size, errors);
        refuse(errors);
        List<AlarmState> matching = stores.all(ViewStore.ALARMS, authorization).values().stream().filter(filter).sorted(order).toList();
        return new AlarmPage(matching.size(), paging.page(), paging.size(), paging.slice(matching).stream().map(AlarmView::of).toList());
    }

    /** The open alarm {@code key} ({@code source:alarmId}); 404 when it is not open. */
    public AlarmView alarm(String key, String authorization) {
        if (key.isBlank() || key.length() > MAX_KEY) {
            throw new InvalidRecordException("key", "must be an alarm key source:alarmId of at most " + MAX_KEY + " characters");
        }
        return stores.get(ViewStore.ALARMS, key, authorization).map(AlarmView::of).orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND,
                "No open alarm has the key '" + key + "'; it may have ended (see tocsin.alarm-events) or the key is misspelt (source:alarmId)"));
    }

    /** Counts of the open alarms matching the filters: overall, per source, per cluster. */
    public AlarmStatus status(AlarmFilterParameters filters, String authorization) {
        List<FieldError> errors = new ArrayList<>();
        AlarmFilter filter = AlarmFilter.parse(filters, errors);
        refuse(errors);
        return AlarmStatus.of(stores.all(ViewStore.ALARMS, authorization).values().stream().filter(filter).toList());
    }

    /** The hosts reporting metrics, sorted by name; {@code cluster} globs and {@code status} online/offline filter them. */
    public HostPage hosts(List<String> cluster, String status, String page, String size, String authorization) {
        List<FieldError> errors = new ArrayList<>();
        List<String> clusters = QueryParameters.list("cluster", cluster, errors);
        String wanted = choice("status", status, Set.of("online", "offline"), errors);
        Paging paging = Paging.parse(page, size, errors);
        refuse(errors);
        Map<String, SeverityCounts> alarms = openAlarmsBy(AlarmState::getHostname, authorization);
        List<HostView> matching = stores.all(ViewStore.HOSTS, authorization).values().stream()
                .filter(host -> clusters.isEmpty() || clusters.stream().anyMatch(glob -> Glob.matches(glob, host.getCluster())))
                .map(host -> HostView.of(host, alarms.getOrDefault(host.getHost(), SeverityCounts.of(List.of()))))
                .filter(host -> wanted == null || wanted.equals(host.status()))
                .sorted(Comparator.comparing(HostView::host))
                .toList();
        return new HostPage(matching.size(), paging.page(), paging.size(), paging.slice(matching));
    }

    /** One host; 404 when no sample of it has been seen. */
    public HostView host(String name, String authorization) {
        HostStatus host = stores.get(ViewStore.HOSTS, name, authorization).orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND,
                "No metric sample of host '" + name + "' has been seen; hosts appear here once they send samples to tocsin.raw.metrics"));
        List<AlarmState> open = stores.all(ViewStore.ALARMS, authorization).values().stream()
                .filter(alarm -> name.equals(alarm.getHostname())).toList();
        return HostView.of(host, SeverityCounts.of(open));
    }

    /** The producers of raw alarms, sorted by name; {@code status} online/offline/unknown filters them. */
    public SourcePage sources(String status, String page, String size, String authorization) {
        List<FieldError> errors = new ArrayList<>();
        String wanted = choice("status", status, Set.of("online", "offline", "unknown"), errors);
        Paging paging = Paging.parse(page, size, errors);
        refuse(errors);
        Map<String, SeverityCounts> alarms = openAlarmsBy(AlarmState::getSource, authorization);
        List<SourceView> matching = stores.all(ViewStore.SOURCES, authorization).values().stream()
                .map(source -> SourceView.of(source, alarms.getOrDefault(source.getSource(), SeverityCounts.of(List.of()))))
                .filter(source -> wanted == null || wanted.equals(source.status()))
                .sorted(Comparator.comparing(SourceView::source))
                .toList();
        return new SourcePage(matching.size(), paging.page(), paging.size(), paging.slice(matching));
    }

    /** One source; 404 when no raw alarm of it has been seen. */
    public SourceView source(String name, String authorization) {
        SourceStatus source = stores.get(ViewStore.SOURCES, name, authorization).orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND,
                "No raw alarm from source '" + name + "' has been seen"));
        List<AlarmState> open = stores.all(ViewStore.ALARMS, authorization).values().stream()
                .filter(alarm -> name.equals(alarm.getSource())).toList();
        return SourceView.of(source, SeverityCounts.of(open));
    }

    private Map<String, SeverityCounts> openAlarmsBy(Function<AlarmState, String> field, String authorization) {
        Map<String, List<AlarmState>> grouped = stores.all(ViewStore.ALARMS, authorization).values().stream()
                .filter(alarm -> field.apply(alarm) != null)
                .collect(Collectors.groupingBy(field));
        return grouped.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, entry -> SeverityCounts.of(entry.getValue())));
    }

    private static String choice(String name, String raw, Collection<String> allowed, List<FieldError> errors) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String value = raw.strip().toLowerCase(Locale.ROOT);
        if (!allowed.contains(value)) {
            errors.add(new FieldError(name, "must be one of " + allowed.stream().sorted().collect(Collectors.joining(", "))
                    + ", not '" + QueryParameters.abbreviate(raw) + "'"));
            return null;
        }
        return value;
    }

    private static void refuse(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
    }
}
