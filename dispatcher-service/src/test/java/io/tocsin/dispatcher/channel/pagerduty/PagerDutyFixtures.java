package io.tocsin.dispatcher.channel.pagerduty;

import io.tocsin.dispatcher.integration.IntegrationConfig;
import java.util.HashMap;
import java.util.Map;

/** A PagerDuty integration and answer for the PagerDuty tests. */
final class PagerDutyFixtures {

    /** 32 letters and digits, as PagerDuty's; "SECRET" makes a leak easy to search for. */
    static final String ROUTING_KEY = "SECRETr0ut1ngkey0123456789abcdef";
    static final String ACCEPTED = "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"cmon:470\"}";

    private PagerDutyFixtures() {
    }

    static IntegrationConfig integration(String url, String... more) {
        Map<String, String> settings = new HashMap<>();
        settings.put("routingKey", ROUTING_KEY);
        settings.put("url", url);
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return IntegrationConfig.declared("pd", "pagerduty", settings);
    }
}
