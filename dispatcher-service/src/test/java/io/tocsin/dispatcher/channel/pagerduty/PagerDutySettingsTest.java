package io.tocsin.dispatcher.channel.pagerduty;

import static io.tocsin.dispatcher.channel.pagerduty.PagerDutyFixtures.ROUTING_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.schema.wire.FieldError;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Validation of the PagerDuty settings: each error names its setting and never repeats the routing key. */
class PagerDutySettingsTest {

    private final PagerDutyNotifier notifier = new PagerDutyNotifier(null);

    @Test
    void aRoutingKeyAloneIsValid() {
        assertThat(notifier.validate(Map.of("routingKey", ROUTING_KEY))).isEmpty();
        assertThat(notifier.validate(Map.of("routingKey", ROUTING_KEY, "url", "https://events.eu.pagerduty.com/v2/enqueue",
                "link", "https://tocsin.example.com/alarms/{alarmKey}"))).isEmpty();
    }

    @Test
    void theRoutingKeyIsRequired() {
        Map<String, String> blank = new HashMap<>();
        blank.put("routingKey", " ");

        assertThat(notifier.validate(Map.of())).extracting(FieldError::field).containsExactly("routingKey");
        assertThat(notifier.validate(blank)).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("routingKey");
            assertThat(error.message()).startsWith("is required");
        });
    }

    @Test
    void aRestApiTokenOrAMangledKeyIsRefusedWithoutBeingRepeated() {
        for (String key : new String[] {"y_NbAkKc66ryYTWUXYEu", ROUTING_KEY + "x", ROUTING_KEY.substring(1) + "\n"}) {
            assertThat(notifier.validate(Map.of("routingKey", key))).singleElement().satisfies(error -> {
                assertThat(error.field()).isEqualTo("routingKey");
                assertThat(error.message()).contains("32-character").doesNotContain(key.strip()).doesNotContain("SECRET");
            });
        }
    }

    @Test
    void urlAndLinkMustBeHttpUrls() {
        assertThat(notifier.validate(Map.of("routingKey", ROUTING_KEY, "url", "events.pagerduty.com/v2/enqueue",
                "link", "tocsin/{alarmKey}"))).extracting(FieldError::field).containsExactly("url", "link");
        assertThat(notifier.validate(Map.of("routingKey", ROUTING_KEY, "url", "ftp://h/x"))).extracting(FieldError::field).containsExactly("url");
    }

    @Test
    void onlyTheRoutingKeyIsSecretAndUnknownSettingsAreNotKnown() {
        assertThat(notifier.secretSettings()).containsExactly("routingKey");
        assertThat(notifier.isSecret("routingKey")).isTrue();
        assertThat(notifier.isSecret("url")).isFalse();
        assertThat(notifier.knows("routingKey")).isTrue();
        assertThat(notifier.knows("url")).isTrue();
        assertThat(notifier.knows("link")).isTrue();
        assertThat(notifier.knows("routing_key")).isFalse();
        assertThat(notifier.service()).isEqualTo("pagerduty");
    }
}
