package io.tocsin.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BenchOptionsTest {

    @Test
    void defaultsNeedOnlyTheIngestToken() throws Exception {
        BenchOptions o = BenchOptions.parse("--ingest-token", "tok");
        assertThat(o.url()).isEqualTo(URI.create("http://localhost:8080"));
        assertThat(o.ingestToken()).isEqualTo("tok");
        assertThat(o.adminToken()).isNull();
        assertThat(o.alarms()).isEqualTo(10_000);
        assertThat(o.rate()).isZero();
        assertThat(o.batch()).isEqualTo(1);
        assertThat(o.senders()).isEqualTo(8);
        assertThat(o.receiverPort()).isZero();
        assertThat(o.receiverDelay()).isEqualTo(Duration.ZERO);
        assertThat(o.hasFailingPath()).isFalse();
        assertThat(o.failingStatus()).isEqualTo(503);
        assertThat(o.createIntegrations()).isFalse();
        assertThat(o.clear()).isFalse();
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(o.linger()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.warmup()).isZero();
        assertThat(o.json()).isFalse();
    }

    @Test
    void everyOptionInBothForms() throws Exception {
        BenchOptions o = BenchOptions.parse("--url=https://tocsin.example:8443/", "--ingest-token=in", "--admin-token", "ad",
                "--alarms", "300", "--rate=1000.5", "--batch", "100", "--senders=3", "--receiver-port", "18181",
                "--receiver-delay=50ms", "--failing-for", "2m", "--failing-status", "429", "--create-integrations", "--clear",
                "--timeout=30s", "--linger", "0", "--warmup", "20", "--json");
        assertThat(o.url()).isEqualTo(URI.create("https://tocsin.example:8443"));
        assertThat(o.adminToken()).isEqualTo("ad");
        assertThat(o.alarms()).isEqualTo(300);
        assertThat(o.rate()).isEqualTo(1000.5);
        assertThat(o.batch()).isEqualTo(100);
        assertThat(o.senders()).isEqualTo(3);
        assertThat(o.receiverPort()).isEqualTo(18181);
        assertThat(o.receiverDelay()).isEqualTo(Duration.ofMillis(50));
        assertThat(o.failingFor()).isEqualTo(Duration.ofMinutes(2));
        assertThat(o.hasFailingPath()).isTrue();
        assertThat(o.failingStatus()).isEqualTo(429);
        assertThat(o.createIntegrations()).isTrue();
        assertThat(o.clear()).isTrue();
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.linger()).isEqualTo(Duration.ZERO);
        assertThat(o.warmup()).isEqualTo(20);
        assertThat(o.json()).isTrue();
    }

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                Arguments.of(new String[] {"--alarms", "10"}, "--ingest-token: is required"),
                Arguments.of(new String[] {"--ingest-token", "t", "--alarms", "0"}, "--alarms: expected a whole number from 1"),
                Arguments.of(new String[] {"--ingest-token", "t", "--alarms=ten"}, "--alarms: expected a whole number from 1 to 10000000, got 'ten'"),
                Arguments.of(new String[] {"--ingest-token", "t", "--alarms"}, "--alarms: needs a value"),
                Arguments.of(new String[] {"--ingest-token", "t", "--alarms", "--json"}, "--alarms: needs a value"),
                Arguments.of(new String[] {"--ingest-token", "t", "--alarms", "5", "--alarms", "6"}, "--alarms: given twice"),
                Arguments.of(new String[] {"--ingest-token", "t", "--rate", "-1"}, "--rate: expected alarms per second"),
                Arguments.of(new String[] {"--ingest-token", "t", "--rate", "NaN"}, "--rate: expected alarms per second"),
                Arguments.of(new String[] {"--ingest-token", "t", "--batch", "1001"}, "--batch: expected a whole number from 1 to 1000"),
                Arguments.of(new String[] {"--ingest-token", "t", "--senders", "0"}, "--senders: expected a whole number from 1"),
                Arguments.of(new String[] {"--ingest-token", "t", "--receiver-port", "70000"}, "--receiver-port: expected a whole number from 0 to 65535"),
                Arguments.of(new String[] {"--ingest-token", "t", "--receiver-delay", "50"}, "--receiver-delay: expected a duration like 50ms"),
                Arguments.of(new String[] {"--ingest-token", "t", "--failing-for", "1h"}, "--failing-for: expected a duration"),
                Arguments.of(new String[] {"--ingest-token", "t", "--failing-for", "1s", "--failing-status", "200"},
                        "--failing-status: expected a whole number from 400 to 599"),
                Arguments.of(new String[] {"--ingest-token", "t", "--failing-status", "503"}, "--failing-status: only applies with --failing-for"),
                Arguments.of(new String[] {"--ingest-token", "t", "--timeout", "0"}, "--timeout: must be more than 0"),
                Arguments.of(new String[] {"--ingest-token", "t", "--linger", "soon"}, "--linger: expected a duration"),
                Arguments.of(new String[] {"--ingest-token", "t", "--warmup", "-5"}, "--warmup: expected a whole number from 0"),
                Arguments.of(new String[] {"--ingest-token", "t", "--alarms", "10000000", "--warmup", "1"}, "--warmup: --alarms plus --warmup"),
                Arguments.of(new String[] {"--ingest-token", "t", "--url", "ftp://host/"}, "--url: expected an http:// or https:// URL"),
                Arguments.of(new String[] {"--ingest-token", "t", "--url", "localhost:8080"}, "--url: expected an http:// or https:// URL"),
                Arguments.of(new String[] {"--ingest-token", "t", "--create-integrations"}, "--admin-token: is required with --create-integrations"),
                Arguments.of(new String[] {"--ingest-token", "t", "--json=yes"}, "--json: is a flag and takes no value"),
                Arguments.of(new String[] {"--ingest-token", "t", "--alarm", "5"}, "--alarm: unknown option"),
                Arguments.of(new String[] {"--ingest-token", "t", "extra"}, "extra: unknown option"));
    }

    @ParameterizedTest
    @MethodSource("badCommandLines")
    void errorsNameTheOption(String[] args, String message) {
        assertThatThrownBy(() -> BenchOptions.parse(args))
                .isInstanceOf(BenchOptions.BadOptionException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void aRejectedTokenIsNotEchoed() {
        assertThatThrownBy(() -> BenchOptions.parse("--ingest-token", "secret value"))
                .hasMessageStartingWith("--ingest-token: must be a non-empty token")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> BenchOptions.parse("--ingest-token", "t", "--admin-token=sécret"))
                .hasMessageStartingWith("--admin-token:")
                .hasMessageNotContaining("cret");
    }

    @Test
    void mainExitsWithTwoAndNamesTheOption() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Bench.run(new String[] {"--ingest-token", "t", "--batch", "0"}, print(out), print(err));
        assertThat(code).isEqualTo(Bench.BAD_ARGUMENTS);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("tocsin-bench: --batch: expected a whole number from 1 to 1000, got '0'\n");
        assertThat(out.size()).isZero();
    }

    @Test
    void helpListsEveryOption() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Bench.run(new String[] {"--help"}, print(out), print(new ByteArrayOutputStream()))).isEqualTo(Bench.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--url", "--ingest-token", "--admin-token", "--alarms", "--rate",
                "--batch", "--senders", "--clear", "--receiver-port", "--receiver-delay", "--failing-for", "--failing-status",
                "--create-integrations", "--timeout", "--linger", "--warmup", "--json");
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
