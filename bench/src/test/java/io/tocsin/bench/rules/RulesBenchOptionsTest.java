package io.tocsin.bench.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tocsin.bench.Bench;
import io.tocsin.bench.BenchOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RulesBenchOptionsTest {

    @Test
    void defaultsNeedOnlyTheBootstrap() throws Exception {
        RulesBenchOptions o = RulesBenchOptions.parse("--scenario", "rules", "--bootstrap", "localhost:9092");
        assertThat(o.bootstrap()).isEqualTo("localhost:9092");
        assertThat(o.topicPrefix()).isEqualTo("tocsin.");
        assertThat(o.rulesGroup()).isEqualTo("tocsin-rules");
        assertThat(o.samples()).isEqualTo(100_000);
        assertThat(o.hosts()).isEqualTo(100);
        assertThat(o.rawAlarms()).isEqualTo(1_000);
        assertThat(o.crossingPercent()).isEqualTo(1.0);
        assertThat(o.crossingEvery()).isEqualTo(100);
        assertThat(o.repetitions()).isEqualTo(3);
        assertThat(o.rate()).isZero();
        assertThat(o.warmup()).isZero();
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(o.linger()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.json()).isFalse();
        assertThat(o.rounds(o.samples())).as("100,000 samples = 200 rounds of 5 samples x 100 hosts").isEqualTo(200);
    }

    @Test
    void everyOptionInBothForms() throws Exception {
        RulesBenchOptions o = RulesBenchOptions.parse("--scenario=rules", "--bootstrap=k1:9092,k2:9093", "--topic-prefix", "acme.",
                "--rules-group=acme-rules", "--samples", "1001", "--hosts=10", "--raw-alarms", "0", "--crossing-percent=50",
                "--repetitions", "5", "--rate", "2500.5", "--warmup=500", "--timeout", "30s", "--linger=0", "--json");
        assertThat(o.bootstrap()).isEqualTo("k1:9092,k2:9093");
        assertThat(o.topicPrefix()).isEqualTo("acme.");
        assertThat(o.rulesGroup()).isEqualTo("acme-rules");
        assertThat(o.samples()).isEqualTo(1001);
        assertThat(o.rounds(1001)).as("rounded up to whole rounds of 50").isEqualTo(21);
        assertThat(o.hosts()).isEqualTo(10);
        assertThat(o.rawAlarms()).isZero();
        assertThat(o.crossingEvery()).isEqualTo(2);
        assertThat(o.repetitions()).isEqualTo(5);
        assertThat(o.rate()).isEqualTo(2500.5);
        assertThat(o.warmup()).isEqualTo(500);
        assertThat(o.warmupRawAlarms()).isZero();
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.linger()).isEqualTo(Duration.ZERO);
        assertThat(o.json()).isTrue();
        assertThat(RulesBenchOptions.parse("--scenario", "rules", "--bootstrap", "b:1", "--crossing-percent", "0").crossingEvery()).isZero();
        assertThat(RulesBenchOptions.parse("--scenario", "rules", "--bootstrap", "b:1", "--crossing-percent", "3").crossingEvery()).isEqualTo(33);
    }

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                Arguments.of(new String[] {"--samples", "10"}, "--bootstrap: is required"),
                Arguments.of(new String[] {"--bootstrap", "localhost"}, "--bootstrap: expected host:port[,host:port...], like localhost:9092, got 'localhost'"),
                Arguments.of(new String[] {"--bootstrap", "a:9092,b:x"}, "--bootstrap: expected host:port"),
                Arguments.of(new String[] {"--bootstrap", "b:1", "--topic-prefix", "a b"}, "--topic-prefix: topic prefix 'a b' may contain only"),
                Arguments.of(new String[] {"--bootstrap", "b:1", "--rules-group", "my group"}, "--rules-group: expected a consumer group name"),
                Arguments.of(new String[] {"--bootstrap", "b:1", "--samples", "-1"}, "--samples: expected a whole number from 0 to 100000000"),
                Arguments.of(new String[] {"--bootstrap", "b:1", "--samples", "0", "--raw-alarms", "0"}, "--samples: --samples and --raw-alarms are both 0"),
                Arguments.of(new String[] {"--bootstrap", "b:1", "--hosts", "0"}, "--hosts: expected a whole number from 1"),
                Arguments.of(new String[] {"--bootstrap", "b:1", "--crossing-percent", "51"}, "--crossing-percent: expected a percentage from 0"),
                Arguments.of(new String[] {"--bootstrap", "b:1", "--crossing-percent", "0.001"}, "--crossing-percent: below 0.01"),
                Arguments.of(new String[] {"--bootstrap", "b:1", "--repetitions", "0"}, "--repetitions: expected a whole number from 1 to 100"),
                Arguments.of(new String[] {"--bootstrap", "b:1", "--rate", "-3"}, "--rate: expected records per second"),
                Arguments.of(new String[] {"--bootstrap", "b:1", "--timeout", "0"}, "--timeout: must be more than 0"),
                Arguments.of(new String[] {"--bootstrap", "b:1", "--linger", "1h"}, "--linger: expected a duration"),
                Arguments.of(new String[] {"--bootstrap", "b:1", "--samples", "5", "--samples", "6"}, "--samples: given twice"),
                Arguments.of(new String[] {"--bootstrap", "b:1", "--json=1"}, "--json: is a flag and takes no value"),
                Arguments.of(new String[] {"--bootstrap", "b:1", "--ingest-token", "t"}, "--ingest-token: unknown option"),
                Arguments.of(new String[] {"--bootstrap"}, "--bootstrap: needs a value"));
    }

    @ParameterizedTest
    @MethodSource("badCommandLines")
    void errorsNameTheOption(String[] args, String message) {
        String[] withScenario = Stream.concat(Stream.of("--scenario", "rules"), Stream.of(args)).toArray(String[]::new);
        assertThatThrownBy(() -> RulesBenchOptions.parse(withScenario))
                .isInstanceOf(BenchOptions.BadOptionException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void theScenarioSelectsTheParserAndAnUnknownScenarioIsNamed() {
        assertThatThrownBy(() -> BenchOptions.parse("--scenario", "rules", "--ingest-token", "t"))
                .hasMessageStartingWith("--scenario: expected ingest, rules or throughput, got 'rules'");
        assertThatThrownBy(() -> BenchOptions.parse("--scenario", "ingest", "--bootstrap", "b:1"))
                .hasMessageStartingWith("--bootstrap: unknown option");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Bench.run(new String[] {"--bootstrap", "b:1", "--scenario=rulez"}, print(out), print(err))).isEqualTo(Bench.BAD_ARGUMENTS);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("tocsin-bench: --scenario: expected ingest, rules or throughput, got 'rulez'\n");
        err.reset();
        assertThat(Bench.run(new String[] {"--scenario", "rules", "--bootstrap", "b:1", "--hosts", "x"}, print(out), print(err)))
                .isEqualTo(Bench.BAD_ARGUMENTS);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("tocsin-bench: --hosts: expected a whole number from 1 to 1000000, got 'x'\n");
        assertThat(out.size()).isZero();
    }

    @Test
    void helpListsBothScenarios() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Bench.run(new String[] {"--help"}, print(out), print(new ByteArrayOutputStream()))).isEqualTo(Bench.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--ingest-token", "--scenario rules", "--bootstrap", "--topic-prefix",
                "--rules-group", "--samples", "--hosts", "--raw-alarms", "--crossing-percent", "--repetitions", "--rate", "--warmup",
                "--timeout", "--linger", "--json");
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
