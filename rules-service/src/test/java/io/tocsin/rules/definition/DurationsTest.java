package io.tocsin.rules.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void shortFormsAndIsoAreReadAndEverythingElseIsNull() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse(" 30s ")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Durations.parse("pt90s")).isEqualTo(Duration.ofSeconds(90));
        for (String bad : new String[] {null, "", "0s", "PT0S", "-PT1M", "PT-5S", "10", "s", "1w", "lots", "9999999999999s"}) {
            assertThat(Durations.parse(bad)).as(bad).isNull();
        }
    }
}
