package io.tocsin.dispatcher.channel.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.dispatcher.integration.IntegrationRegistry;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEventStatus;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plugin integration declared in configuration, run by the notifier bean the application context builds. */
class PluginConfigurationTest {

    @TempDir
    Path directory;

    @Test
    void aDeclaredIntegrationRunsItsPluginFromTheConfiguredDirectory() throws Exception {
        PluginScripts scripts = new PluginScripts(directory);
        scripts.script("pagerduty.py", PluginScripts.RECORD_ENVIRONMENT);
        Map<String, Object> props = Map.of(
                "tocsin.dispatcher.enabled", "false",
                "tocsin.dispatcher.plugin-dir", directory.toString(),
                "tocsin.dispatcher.integrations.pd.service", "plugin",
                "tocsin.dispatcher.integrations.pd.plugin", "pagerduty.py",
                "tocsin.dispatcher.integrations.pd.timeout", "5s",
                "tocsin.dispatcher.integrations.pd.env.PD_API_KEY", "k-123");
        try (ApplicationContext context = ApplicationContext.run(props)) {
            IntegrationRegistry registry = context.getBean(IntegrationRegistry.class);
            IntegrationConfig pd = registry.find("pd").orElseThrow();
            PluginNotifier notifier = context.getBean(PluginNotifier.class);

            assertThat(registry.notifierFor(pd)).isSameAs(notifier);
            assertThat(notifier.pluginDirectory()).isEqualTo(directory);
            assertThat(notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED), pd))
                    .isInstanceOf(DeliveryResult.Delivered.class);
            assertThat(scripts.recordedEnvironment()).containsEntry("PD_API_KEY", "k-123");
        }
    }

    @Test
    void aDeclaredIntegrationWithAPathForPluginDoesNotStart() {
        Map<String, Object> props = Map.of(
                "tocsin.dispatcher.enabled", "false",
                "tocsin.dispatcher.plugin-dir", directory.toString(),
                "tocsin.dispatcher.integrations.pd.service", "plugin",
                "tocsin.dispatcher.integrations.pd.plugin", "../../bin/sh");

        assertThatThrownBy(() -> ApplicationContext.run(props).close())
                .hasStackTraceContaining("tocsin.dispatcher.integrations.pd.plugin");
    }
}
