package io.tocsin.dispatcher.channel.pagerduty;

import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.dispatcher.testing.TestEvents;
import java.util.Map;

/** A PagerDuty integration and answer for the PagerDuty tests. */
final class PagerDutyFixtures {

    /** 32 letters and digits, as PagerDuty's; "SECRET" makes a leak easy to search for. */
    static final String ROUTING_KEY = "SECRETr0ut1ngkey0123456789abcdef";
    static final String ACCEPTED = "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"cmon:470\"}";

    private PagerDutyFixtures() {
    }

    static IntegrationConfig integration(String url, String... more) {
        return TestEvents.integration("pd", "pagerduty", Map.of("routingKey", ROUTING_KEY, "url", url), more);
    }
}
