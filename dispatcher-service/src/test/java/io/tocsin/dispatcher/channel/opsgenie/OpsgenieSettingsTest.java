package io.tocsin.dispatcher.channel.opsgenie;

import static io.tocsin.dispatcher.channel.opsgenie.OpsgenieFixtures.API_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.schema.wire.FieldError;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Validation of the Opsgenie settings: each error names its setting and never repeats the API key. */
class OpsgenieSettingsTest {

    private final OpsgenieNotifier notifier = new OpsgenieNotifier(null);

    @Test
    void anApiKeyAloneIsValid() {
        assertThat(notifier.validate(Map.of("apiKey", API_KEY))).isEmpty();
        assertThat(notifier.validate(Map.of("apiKey", API_KEY, "region", "EU", "url", "https://proxy.example.org/opsgenie",
                "link", "https://tocsin.example.com/alarms/{alarmKey}"))).isEmpty();
    }

    @Test
    void theApiKeyIsRequiredAndMayNotHoldSpacesOrLineBreaks() {
        assertThat(notifier.validate(Map.of())).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("apiKey");
            assertThat(error.message()).startsWith("is required");
        });
        for (String key : new String[] {API_KEY + "\r\nX-Injected: 1", "GenieKey " + API_KEY, API_KEY + "ü"}) {
            assertThat(notifier.validate(Map.of("apiKey", key))).singleElement().satisfies(error -> {
                assertThat(error.field()).isEqualTo("apiKey");
                assertThat(error.message()).doesNotContain("5EC4E7");
            });
        }
    }

    @Test
    void regionUrlAndLinkAreChecked() {
        assertThat(notifier.validate(Map.of("apiKey", API_KEY, "region", "asia", "url", "api.opsgenie.com", "link", "/alarms/{alarmKey}")))
                .extracting(FieldError::field).containsExactly("region", "url", "link");
        assertThat(notifier.validate(Map.of("apiKey", API_KEY, "url", "https://api.opsgenie.com/?x=1")))
                .extracting(FieldError::field).containsExactly("url");
    }

    @Test
    void onlyTheApiKeyIsSecret() {
        assertThat(notifier.secretSettings()).containsExactly("apiKey");
        assertThat(notifier.isSecret("region")).isFalse();
        assertThat(notifier.isSecret("url")).isFalse();
        assertThat(notifier.knows("region")).isTrue();
        assertThat(notifier.knows("link")).isTrue();
        assertThat(notifier.knows("api_key")).isFalse();
        assertThat(notifier.service()).isEqualTo("opsgenie");
        assertThat(notifier.defaultRateLimit()).isEqualTo(new io.tocsin.dispatcher.delivery.Notifier.RateLimit(5, 20));
    }
}
