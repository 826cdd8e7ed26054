package io.tocsin.dispatcher.routing;

import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.Severity;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;

/**
 * Decides which integrations get an alarm event, with ClusterControl's integration filters:
 * <ul>
 *   <li>disabled integrations get nothing;</li>
 *   <li>CREATED always, ENDED only with {@code send-ended}, UPDATED never (like ClusterControl's CHANGED, an
 *       update of an open alarm is not notified by default);</li>
 *   <li>{@code clusters}: empty means every cluster, else the event's cluster must be listed (exact,
 *       case-sensitive: cluster names are identifiers);</li>
 *   <li>{@code events}, case-insensitive, any entry matching suffices: empty or {@code All Events} matches
 *       all; {@code All Warning Events} and {@code All Critical Events} match by severity; any other entry is
 *       a category matched against the event's categories;</li>
 *   <li>creation time: as in ClusterControl, an integration gets only alarms opened after it was created. An
 *       ENDED of an older alarm matches only an integration with {@code backfill}; the delivery engine then sends
 *       it only if that alarm's CREATED was backfilled to it.</li>
 * </ul>
 */
@Singleton
public class IntegrationMatcher {

    static final String ALL_EVENTS = "all events";
    static final String ALL_WARNING_EVENTS = "all warning events";
    static final String ALL_CRITICAL_EVENTS = "all critical events";

    /** The integrations of {@code integrations} that get {@code event}, in their given order. */
    public List<IntegrationConfig> select(AlarmEvent event, List<IntegrationConfig> integrations) {
        return integrations.stream().filter(integration -> matches(event, integration)).toList();
    }

    public boolean matches(AlarmEvent event, IntegrationConfig integration) {
        return integration.enabled()
                && statusMatches(event, integration)
                && createdAfterIntegration(event, integration)
                && clusterMatches(event, integration)
                && eventsMatch(event, integration);
    }

    private static boolean statusMatches(AlarmEvent event, IntegrationConfig integration) {
        return switch (event.getStatus()) {
            case CREATED -> true;
            case ENDED -> integration.sendEnded();
            case UPDATED -> false;
        };
    }

    private static boolean createdAfterIntegration(AlarmEvent event, IntegrationConfig integration) {
        return !event.getOpenedAt().isBefore(integration.createdAt())
                || (integration.backfill() && event.getStatus() == io.tocsin.schema.AlarmEventStatus.ENDED);
    }

    /** The filters without the creation time and status: for choosing which open alarms to backfill. */
    public boolean matchesFilters(AlarmEvent event, IntegrationConfig integration) {
        return clusterMatches(event, integration) && eventsMatch(event, integration);
    }

    /** Whether an events filter entry is one this matcher understands: a selector or a known category. */
    public static boolean knownEventFilter(String filter) {
        String name = normalise(filter);
        return name.equals(ALL_EVENTS) || name.equals(ALL_WARNING_EVENTS) || name.equals(ALL_CRITICAL_EVENTS)
                || CATEGORIES.contains(name);
    }

    /** ClusterControl's event categories (seed 000), lower case. */
    static final java.util.Set<String> CATEGORIES = java.util.Set.of("network", "cmon database", "mail", "cluster",
            "cluster configuration", "cluster recovery", "node", "host", "database health", "database performance",
            "software installation", "backup");

    private static boolean clusterMatches(AlarmEvent event, IntegrationConfig integration) {
        return integration.clusters().isEmpty() || integration.clusters().contains(event.getCluster());
    }

    private static boolean eventsMatch(AlarmEvent event, IntegrationConfig integration) {
        if (integration.events().isEmpty()) {
            return true;
        }
        for (String filter : integration.events()) {
            String name = normalise(filter);
            boolean matched = switch (name) {
                case ALL_EVENTS -> true;
                case ALL_WARNING_EVENTS -> event.getSeverity() == Severity.WARNING;
                case ALL_CRITICAL_EVENTS -> event.getSeverity() == Severity.CRITICAL;
                default -> event.getCategories().stream().anyMatch(category -> normalise(category).equals(name));
            };
            if (matched) {
                return true;
            }
        }
        return false;
    }

    private static String normalise(String text) {
        return text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    }
}
