package io.tocsin.dispatcher.channel.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Expected values follow Pacemaker's own unit test of pcmk__time_format_hr (lib/common/tests/iso8601). */
class PacemakerTimestampFormatTest {

    private static final Instant TIME = Instant.parse("2024-06-02T03:04:05.123456Z");
    private static final Instant SMALL_FRACTION = Instant.parse("2024-06-02T03:04:05.000789Z");

    private static String format(String format, Instant instant) {
        return PacemakerTimestampFormat.compile(format).format(instant);
    }

    @Test
    void formatsTheSnmpAgentsAndPacemakersDefaultFormats() {
        assertThat(format("%Y-%m-%d,%H:%M:%S.%06N", TIME)).isEqualTo("2024-06-02,03:04:05.123456");
        assertThat(format("%H:%M:%S.%06N", TIME)).isEqualTo("03:04:05.123456");
        assertThat(format("%Y-%m-%d,%H:%M:%S.%01N", TIME)).isEqualTo("2024-06-02,03:04:05.1");
    }

    @Test
    void fractionsAreTruncatedToTheirDigitCount() {
        assertThat(format("%H:%M:%S.%6N", TIME)).isEqualTo("03:04:05.123456");
        assertThat(format("%H:%M:%S.%5N", TIME)).isEqualTo("03:04:05.12345");
        assertThat(format("%H:%M:%S.%3N", TIME)).isEqualTo("03:04:05.123");
        assertThat(format("%H:%M:%S.%03N", TIME)).isEqualTo("03:04:05.123");
        assertThat(format("%H:%M:%S.%1N", TIME)).isEqualTo("03:04:05.1");
        assertThat(format("%H:%M:%S.%0N", TIME)).isEqualTo("03:04:05.");
        assertThat(format("%H:%M:%S.%N", TIME)).isEqualTo("03:04:05.");
        assertThat(format("%H:%M:%S.%9N", TIME)).isEqualTo("03:04:05.123456");
        assertThat(format("%H:%M:%S.%6N", SMALL_FRACTION)).isEqualTo("03:04:05.000789");
        assertThat(format("%H:%M:%S.%4N", SMALL_FRACTION)).isEqualTo("03:04:05.0007");
    }

    @Test
    void formatsTheRestOfTheSubset() {
        assertThat(format("%s %z %Z %%H %%N literal", TIME)).isEqualTo("1717297445 +0000 UTC %H %N literal");
        assertThat(format("%d/%m/%Y %H%M%S", Instant.parse("2031-12-09T23:59:58Z"))).isEqualTo("09/12/2031 235958");
    }

    @Test
    void refusesConversionsOutsideTheSubset() {
        assertThatThrownBy(() -> PacemakerTimestampFormat.compile("%a %b")).hasMessageContaining("not %a");
        assertThatThrownBy(() -> PacemakerTimestampFormat.compile("%3S")).hasMessageContaining("%3S");
        assertThatThrownBy(() -> PacemakerTimestampFormat.compile("ends with %")).hasMessageContaining("end");
        assertThatThrownBy(() -> PacemakerTimestampFormat.compile("%06")).hasMessageContaining("end");
    }
}
