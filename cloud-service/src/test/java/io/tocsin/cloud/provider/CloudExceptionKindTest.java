package io.tocsin.cloud.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.cloud.provider.CloudException.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one status → kind mapping all three adapters fall back on after their own error codes: the kind of every
 * status 100..599, as a table of ranges that covers each status exactly once, and what no answer (0, a negative
 * number, or a status HTTP does not define) means. Each adapter's test checks its bare-status classification agrees,
 * with {@link #disagreements}.
 */
public class CloudExceptionKindTest {

    /** {@code from, to (inclusive), kind}: every status 100..599 in exactly one row. */
    static final String[] TABLE = {
            "100, 399, UNAVAILABLE", // not an error answer: there was none to go by
            "400, 400, INVALID",
            "401, 401, DENIED",
            "402, 402, INVALID",
            "403, 403, DENIED",
            "404, 404, NOT_FOUND",
            "405, 407, INVALID",
            "408, 408, UNAVAILABLE", // the provider timed out waiting for the request
            "409, 428, INVALID",
            "429, 429, UNAVAILABLE", // throttled
            "430, 499, INVALID",
            "500, 599, UNAVAILABLE"};

    static Stream<Arguments> table() {
        return Arrays.stream(TABLE).map(row -> row.split(",\\s*"))
                .map(cells -> Arguments.of(Integer.parseInt(cells[0]), Integer.parseInt(cells[1]), Kind.valueOf(cells[2])));
    }

    @ParameterizedTest(name = "{0}..{1} → {2}")
    @MethodSource("table")
    void everyStatusOfARangeHasItsKind(int from, int to, Kind kind) {
        List<String> wrong = new ArrayList<>();
        for (int status = from; status <= to; status++) {
            if (Kind.forStatus(status) != kind) {
                wrong.add(status + " → " + Kind.forStatus(status));
            }
        }
        assertThat(wrong).as("statuses whose kind is not " + kind).isEmpty();
    }

    @Test
    void theTableCoversEveryStatusFrom100To599ExactlyOnce() {
        int[] rows = new int[600];
        table().forEach(row -> IntStream.rangeClosed((int) row.get()[0], (int) row.get()[1]).forEach(status -> rows[status]++));
        assertThat(IntStream.rangeClosed(100, 599).filter(status -> rows[status] != 1).boxed()).as("covered other than once").isEmpty();
    }

    @Test
    void noAnswerIsUnavailable() {
        assertThat(Kind.forStatus(0)).as("no response at all").isEqualTo(Kind.UNAVAILABLE);
        assertThat(Kind.forStatus(-1)).isEqualTo(Kind.UNAVAILABLE);
        assertThat(Kind.forStatus(600)).as("not an HTTP status").isEqualTo(Kind.UNAVAILABLE);
        assertThat(Kind.forStatus(Integer.MAX_VALUE)).isEqualTo(Kind.UNAVAILABLE);
    }

    /**
     * The statuses 400..599 an adapter's {@code classification} of a bare status (no provider error code) puts in
     * another kind than {@link Kind#forStatus}, as {@code "status: adapter's kind (forStatus's kind)"}; empty when
     * they agree.
     */
    public static List<String> disagreements(IntFunction<Kind> classification) {
        return IntStream.rangeClosed(400, 599).filter(status -> classification.apply(status) != Kind.forStatus(status))
                .mapToObj(status -> status + ": " + classification.apply(status) + " (" + Kind.forStatus(status) + ")").toList();
    }
}
