package io.tocsin.standalone.deploy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Values the chart refuses to render, each with a message that names the offending value: above all a secret channel
 * setting given where it would land in a ConfigMap.
 */
class ChartValidationTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a routing key under settings | dispatcher: {integrations: {pd: {service: pagerduty, settings: {routingKey: abc}}}}"
                + " | dispatcher.integrations.pd.settings.routingKey is a secret setting of the pagerduty channel",
        "a webhook header under settings | dispatcher: {integrations: {h: {service: webhook, settings: {header.Authorization: x}}}}"
                + " | dispatcher.integrations.h.settings.header.Authorization is a secret setting of the webhook channel",
        "an unknown channel | dispatcher: {integrations: {x: {service: pagerduti}}}"
                + " | dispatcher.integrations.x.service: 'pagerduti' is not a channel",
        "an integration name unfit for a Secret key | dispatcher: {integrations: {Ops_Hook: {service: webhook}}}"
                + " | dispatcher.integrations.Ops_Hook: an integration name must be",
        "a secret given twice | dispatcher: {integrations: {pd: {service: pagerduty, secrets: {routingKey: a}, secretRefs: {routingKey: {name: s, key: k}}}}}"
                + " | routingKey is given both under secrets and secretRefs",
        "a secretRef without its key | dispatcher: {integrations: {pd: {service: pagerduty, secretRefs: {routingKey: {name: s}}}}}"
                + " | dispatcher.integrations.pd.secretRefs.routingKey needs name and key",
        "more dispatchers than partitions | dispatcher: {autoscaling: {enabled: true, maxReplicas: 4}}"
                + " | dispatcher.autoscaling.maxReplicas (4) is more than kafka.partitions (3)",
        "a rules file not named *.yaml | rules: {files: {custom.yml: 'rules: []'}}"
                + " | rules.files.custom.yml: the rules loader reads only *.yaml files",
    })
    void refused(String what, String values, String message) throws Exception {
        Path file = Files.writeString(dir.resolve("values.yaml"), values);
        assertThatThrownBy(() -> RenderedChart.template(file)).as(what).hasMessageContaining(message);
    }
}
