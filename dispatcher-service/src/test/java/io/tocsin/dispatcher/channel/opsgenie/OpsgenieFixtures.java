package io.tocsin.dispatcher.channel.opsgenie;

import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.dispatcher.testing.TestEvents;
import java.util.Map;

/** An Opsgenie integration and answers for the Opsgenie tests. */
final class OpsgenieFixtures {

    /** Shaped like Opsgenie's keys (a UUID); "5EC4E7" makes a leak easy to search for. */
    static final String API_KEY = "eb243592-faa2-4ba2-a551-1afdf5EC4E7e";
    static final String ACCEPTED = "{\"result\":\"Request will be processed\",\"took\":0.302,\"requestId\":\"43a29c5c-3dbf-4fa4-9c26-f4f71023e120\"}";

    private OpsgenieFixtures() {
    }

    static IntegrationConfig integration(String url, String... more) {
        return TestEvents.integration("ops", "opsgenie", Map.of("apiKey", API_KEY, "url", url), more);
    }
}
