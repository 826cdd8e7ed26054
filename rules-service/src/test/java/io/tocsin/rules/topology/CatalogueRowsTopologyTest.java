package io.tocsin.rules.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.rules.definition.Aggregate;
import io.tocsin.rules.definition.Condition;
import io.tocsin.rules.definition.Rule;
import io.tocsin.rules.definition.RuleKind;
import io.tocsin.rules.definition.RulesLoader;
import io.tocsin.rules.definition.Thresholds;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.HostMetric;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One {@code TopologyTestDriver} case per row of the shipped catalogue (seed 000's Warning and Critical Events
 * tables, plus Tocsin's heartbeat alarms): event rows open with the row's severity, area and categories when the
 * source states no severity, and end; threshold rows open at each of their levels from samples shaped by the row's
 * aggregate, window and run length, and end when the value returns to normal.
 */
class CatalogueRowsTopologyTest {

    RulesDriver tocsin = new RulesDriver();
    long clock;

    @AfterEach
    void close() {
        tocsin.close();
    }

    static Stream<Rule> eventRows() {
        return RulesLoader.defaults().rules().stream().filter(r -> r.kind() == RuleKind.EVENT);
    }

    static Stream<Rule> metricRows() {
        return RulesLoader.defaults().rules().stream().filter(r -> r.kind() == RuleKind.METRIC);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventRows")
    void eventRowOpensWithItsSeverityAreaAndCategoriesAndEnds(Rule row) {
        RawAlarm raise = RawAlarm.newBuilder().setSource("cc-1").setAlarmId("42").setState(RawAlarmState.RAISED).setType(row.type())
                .setCluster("prod").setHostname("10.0.0.1").setTitle(row.type()).setTimestamp(RulesDriver.T0).build();
        tocsin.alarm(raise);
        tocsin.alarm(RawAlarm.newBuilder(raise).setState(RawAlarmState.CLEARED).setTimestamp(RulesDriver.T0.plusSeconds(10)).build());
        List<AlarmEvent> events = tocsin.events();
        assertThat(events).extracting(e -> e.getStatus() + ":" + e.getSeverity())
                .containsExactly("CREATED:" + row.severity(), "ENDED:" + row.severity());
        assertThat(events.getFirst().getComponent()).isEqualTo(row.component());
        assertThat(events.getFirst().getCategories()).containsExactlyElementsOf(row.categories());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("metricRows")
    void metricRowOpensAtEachLevelAndEndsOnNormalValues(Rule row) {
        Thresholds levels = row.effective("prod", "db1");
        List<String> seen = new ArrayList<>();
        if (levels.warning() != null) {
            hold(row, valueAt(levels, levels.warning(), Severity.WARNING));
            seen.addAll(statuses(row));
        }
        if (levels.critical() != null) {
            hold(row, valueAt(levels, levels.critical(), Severity.CRITICAL));
            seen.addAll(statuses(row));
        }
        clock += row.window() == null ? 0 : row.window().toSeconds();
        hold(row, normal(row, levels));
        seen.addAll(statuses(row));

        List<String> expected = new ArrayList<>();
        if (levels.warning() != null) {
            expected.add("CREATED:WARNING");
        }
        if (levels.critical() != null) {
            expected.add((levels.warning() != null ? "UPDATED" : "CREATED") + ":CRITICAL");
        }
        expected.add("ENDED:" + (levels.critical() != null ? "CRITICAL" : "WARNING"));
        assertThat(seen).as(row.type()).containsExactlyElementsOf(expected);
    }

    /** Sends {@code value} long enough for the row's aggregate, window and run length to see it. */
    void hold(Rule row, double value) {
        boolean accumulating = row.aggregate() == Aggregate.SUM || row.aggregate() == Aggregate.COUNT;
        long windowSamples = row.window() == null || accumulating ? 1 : row.window().toSeconds() / 30 + 1;
        long samples = Math.max(windowSamples, row.consecutive() == null ? 1 : row.consecutive());
        for (int i = 0; i < samples; i++) {
            clock += 30;
            tocsin.metric(HostMetric.newBuilder(RulesDriver.sample("db1", row.metric(), "probe-1", value, clock)).build());
        }
    }

    List<String> statuses(Rule row) {
        return tocsin.events().stream().filter(e -> e.getType().equals(row.type())).map(e -> e.getStatus() + ":" + e.getSeverity()).toList();
    }

    /** A value meeting {@code condition} (and, for WARNING, not the critical level). */
    static double valueAt(Thresholds levels, Condition condition, Severity severity) {
        for (double candidate : candidates(levels)) {
            if (condition.holds(candidate) && (severity == Severity.CRITICAL || levels.critical() == null || !levels.critical().holds(candidate))) {
                return candidate;
            }
        }
        throw new AssertionError("no value meets " + condition);
    }

    /** A value meeting neither level (and the clear condition, if any). */
    static double normal(Rule row, Thresholds levels) {
        for (double candidate : candidates(levels)) {
            if (row.clears(levels, candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("no normal value for " + row.type());
    }

    static List<Double> candidates(Thresholds levels) {
        List<Double> values = new ArrayList<>();
        for (Condition c : new Condition[] {levels.warning(), levels.critical()}) {
            if (c != null) {
                values.addAll(List.of(c.low(), c.high(), (c.low() + c.high()) / 2, c.low() + 1, c.high() + 1, c.low() - 1));
            }
        }
        values.addAll(List.of(0.0, 1.0, 1000.0));
        return values;
    }
}
