package io.tocsin.dispatcher.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntegrationMatcherTest {

    private final IntegrationMatcher matcher = new IntegrationMatcher();

    private static IntegrationConfig integration(List<String> clusters, List<String> events, boolean enabled, boolean sendEnded) {
        return new IntegrationConfig("ops", "ops", "webhook", java.util.Map.of("url", "http://127.0.0.1/hook"), clusters, events, enabled, sendEnded, false, java.time.Instant.EPOCH, true);
    }

    private static IntegrationConfig all() {
        return integration(List.of(), List.of(), true, true);
    }

    private static AlarmEvent event(AlarmEventStatus status) {
        return TestEvents.event("1", status, Severity.WARNING, "prod-galera", List.of("Network", "Host"));
    }

    private static AlarmEvent event(Severity severity, String cluster, List<String> categories) {
        return TestEvents.event("1", AlarmEventStatus.CREATED, severity, cluster, categories);
    }

    @Test
    void createdAlwaysEndedOnlyWithSendEndedUpdatedNever() {
        IntegrationConfig withoutEnded = integration(List.of(), List.of(), true, false);

        assertThat(matcher.matches(event(AlarmEventStatus.CREATED), all())).isTrue();
        assertThat(matcher.matches(event(AlarmEventStatus.ENDED), all())).isTrue();
        assertThat(matcher.matches(event(AlarmEventStatus.UPDATED), all())).isFalse();
        assertThat(matcher.matches(event(AlarmEventStatus.CREATED), withoutEnded)).isTrue();
        assertThat(matcher.matches(event(AlarmEventStatus.ENDED), withoutEnded)).isFalse();
    }

    @Test
    void disabledIntegrationsGetNothing() {
        IntegrationConfig disabled = integration(List.of(), List.of(), false, true);

        assertThat(matcher.matches(event(AlarmEventStatus.CREATED), disabled)).isFalse();
        assertThat(matcher.matches(event(AlarmEventStatus.ENDED), disabled)).isFalse();
    }

    @Test
    void clustersFilterIsExactAndEmptyMeansAll() {
        IntegrationConfig prod = integration(List.of("prod-galera", "prod-pg"), List.of(), true, true);

        assertThat(matcher.matches(event(Severity.WARNING, "prod-pg", List.of()), prod)).isTrue();
        assertThat(matcher.matches(event(Severity.WARNING, "staging", List.of()), prod)).isFalse();
        assertThat(matcher.matches(event(Severity.WARNING, "PROD-PG", List.of()), prod)).isFalse();
        assertThat(matcher.matches(event(Severity.WARNING, "", List.of()), prod)).isFalse();
        assertThat(matcher.matches(event(Severity.WARNING, "anything", List.of()), all())).isTrue();
    }

    @Test
    void allEventsMatchesEverySeverityAndCategory() {
        IntegrationConfig allEvents = integration(List.of(), List.of("all EVENTS"), true, true);

        assertThat(matcher.matches(event(Severity.WARNING, "c", List.of()), allEvents)).isTrue();
        assertThat(matcher.matches(event(Severity.CRITICAL, "c", List.of("Network")), allEvents)).isTrue();
    }

    @Test
    void severityFiltersMatchTheirSeverityOnly() {
        IntegrationConfig warnings = integration(List.of(), List.of("All Warning Events"), true, true);
        IntegrationConfig criticals = integration(List.of(), List.of("all critical events"), true, true);

        assertThat(matcher.matches(event(Severity.WARNING, "c", List.of()), warnings)).isTrue();
        assertThat(matcher.matches(event(Severity.CRITICAL, "c", List.of()), warnings)).isFalse();
        assertThat(matcher.matches(event(Severity.CRITICAL, "c", List.of()), criticals)).isTrue();
        assertThat(matcher.matches(event(Severity.WARNING, "c", List.of()), criticals)).isFalse();
    }

    @Test
    void otherEventNamesAreCategoriesMatchedCaseInsensitively() {
        IntegrationConfig network = integration(List.of(), List.of("network"), true, true);

        assertThat(matcher.matches(event(Severity.WARNING, "c", List.of("Host", "Network")), network)).isTrue();
        assertThat(matcher.matches(event(Severity.CRITICAL, "c", List.of("Host")), network)).isFalse();
        assertThat(matcher.matches(event(Severity.CRITICAL, "c", List.of()), network)).isFalse();
    }

    @Test
    void anyMatchingEventFilterSuffices() {
        IntegrationConfig criticalOrNetwork = integration(List.of(), List.of("All Critical Events", "Network"), true, true);

        assertThat(matcher.matches(event(Severity.CRITICAL, "c", List.of("Host")), criticalOrNetwork)).isTrue();
        assertThat(matcher.matches(event(Severity.WARNING, "c", List.of("Network")), criticalOrNetwork)).isTrue();
        assertThat(matcher.matches(event(Severity.WARNING, "c", List.of("Host")), criticalOrNetwork)).isFalse();
    }

    @Test
    void clusterAndEventFiltersMustBothMatch() {
        IntegrationConfig prodCritical = integration(List.of("prod"), List.of("All Critical Events"), true, true);

        assertThat(matcher.matches(event(Severity.CRITICAL, "prod", List.of()), prodCritical)).isTrue();
        assertThat(matcher.matches(event(Severity.CRITICAL, "dev", List.of()), prodCritical)).isFalse();
        assertThat(matcher.matches(event(Severity.WARNING, "prod", List.of()), prodCritical)).isFalse();
    }

    @Test
    void selectKeepsTheMatchingIntegrationsInOrder() {
        IntegrationConfig a = new IntegrationConfig("a", "a", "webhook", java.util.Map.of("url", "http://x/a"), List.of(), List.of(), true, true, false, java.time.Instant.EPOCH, true);
        IntegrationConfig b = new IntegrationConfig("b", "b", "webhook", java.util.Map.of("url", "http://x/b"), List.of("other"), List.of(), true, true, false, java.time.Instant.EPOCH, true);
        IntegrationConfig c = new IntegrationConfig("c", "c", "webhook", java.util.Map.of("url", "http://x/c"), List.of(), List.of("Network"), true, true, false, java.time.Instant.EPOCH, true);

        assertThat(matcher.select(event(AlarmEventStatus.CREATED), List.of(a, b, c))).containsExactly(a, c);
    }
}
