package io.tocsin.rules.streams;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.tocsin.testing.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code tocsin.rules.rules-dir}: an invalid rules file fails the rules service's start, naming what is wrong. */
@ExtendWith(KafkaBrokerExtension.class)
class RulesDirectoryTest {

    @TempDir
    Path rules;

    @Test
    void anInvalidRulesFileFailsTheStartNamingFileRuleAndField() throws Exception {
        Files.writeString(rules.resolve("custom.yaml"), """
                rules:
                  - type: HostCpuUsage
                    kind: metric
                    metric: host.cpu.usage
                    warning: {above: lots}
                    component: Host
                    categories: [Host]
                """);
        Map<String, Object> props = Map.of(
                "tocsin.kafka.bootstrap-servers", KafkaBrokerExtension.broker().bootstrapServers(),
                "tocsin.kafka.topic-prefix", "rd" + System.nanoTime() + ".",
                "tocsin.rules.application-id", "rules-dir-test-" + System.nanoTime(),
                "tocsin.rules.state-dir", rules.resolve("state").toString(),
                "tocsin.rules.rules-dir", rules.toString(),
                "tocsin.dispatcher.enabled", "false");

        assertThatThrownBy(() -> ApplicationContext.run(props).close())
                .rootCause().hasMessageContaining("custom.yaml").hasMessageContaining("HostCpuUsage")
                .hasMessageContaining("warning.above");
    }
}
