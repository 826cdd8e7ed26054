package io.tocsin.dispatcher.channel.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.schema.wire.FieldError;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Validation of a plugin integration's settings: every refusal names its setting and never echoes a secret. */
class PluginSettingsTest {

    private final PluginNotifier notifier = new PluginNotifier("plugins");

    private List<FieldError> validate(String... settings) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < settings.length; i += 2) {
            map.put(settings[i], settings[i + 1]);
        }
        return notifier.validate(map);
    }

    private List<String> fields(String... settings) {
        return validate(settings).stream().map(FieldError::field).toList();
    }

    @Test
    void acceptsACompleteValidIntegration() {
        assertThat(validate("plugin", "pagerduty.py", "mode", "PaceMaker", "timeout", "10m", "recipient", "ops",
                "timestamp-format", "%Y-%m-%d,%H:%M:%S.%01N", "cmon-hostname", "cc.example.org",
                "env.api_key", "k", "env._X1", "")).isEmpty();
        assertThat(validate("plugin", "alert_file.sh.sample")).isEmpty();
    }

    @Test
    void refusesPluginNamesThatCouldLeaveTheDirectory() {
        for (String name : List.of("../x", "a/b", "/bin/sh", "a\\b", ".hidden", "..", ".", "a\0b", "a\nb", "")) {
            assertThat(fields("plugin", name)).as(name).containsExactly("plugin");
        }
        assertThat(fields()).containsExactly("plugin");
        assertThat(validate("plugin", "../x").getFirst().message())
                .isEqualTo("must be a file name inside the plugin directory, without '/' or '\\'");
        assertThat(validate("plugin", ".hidden").getFirst().message()).isEqualTo("must not start with '.' (no hidden files, '.' or '..')");
    }

    @Test
    void refusesAnUnknownModeAndBadTimeouts() {
        assertThat(fields("plugin", "p", "mode", "nagios")).containsExactly("mode");
        for (String timeout : List.of("0s", "soon", "11m", "-5s", "PT10M1S", "10 s")) {
            assertThat(fields("plugin", "p", "timeout", timeout)).as(timeout).containsExactly("timeout");
        }
        assertThat(validate("plugin", "p", "timeout", "11m").getFirst().message()).isEqualTo("must be at most 10m");
    }

    @Test
    void readsMicronautStyleDurations() {
        assertThat(PluginSettings.parseTimeout("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(PluginSettings.parseTimeout("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(PluginSettings.parseTimeout("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(PluginSettings.parseTimeout("PT45S")).isEqualTo(Duration.ofSeconds(45));
        assertThat(PluginSettings.parseTimeout(null)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void refusesTimestampFormatsOutsideTheSupportedSubset() {
        assertThat(validate("plugin", "p", "timestamp-format", "%a %H"))
                .containsExactly(new FieldError("timestamp-format",
                        "supports only %Y %m %d %H %M %S %z %Z %s %% and %<digits>N, not %a"));
    }

    @Test
    void refusesEnvironmentNamesThatAreInvalidReservedOrLoadCode() {
        assertThat(fields("plugin", "p", "env.1X", "v", "env.A-B", "v", "env.", "v", "env.CRM_alert_recipient", "v",
                "env.TOCSIN_STATUS", "v", "env.PATH", "/tmp", "env.LANG", "C", "env.LD_PRELOAD", "/tmp/x.so",
                "env.BASH_ENV", "/tmp/x", "env.PYTHONPATH", "/tmp", "env.ok_name", "v"))
                .containsExactlyInAnyOrder("env.1X", "env.A-B", "env.", "env.CRM_alert_recipient", "env.TOCSIN_STATUS",
                        "env.PATH", "env.LANG", "env.LD_PRELOAD", "env.BASH_ENV", "env.PYTHONPATH");
    }

    @Test
    void messagesNeverRepeatAnEnvironmentValue() {
        List<FieldError> errors = validate("plugin", "p", "env.TOKEN", "sec\0ret-value", "env.LD_PRELOAD", "sec-ret-2");

        assertThat(errors).extracting(FieldError::field).containsExactlyInAnyOrder("env.TOKEN", "env.LD_PRELOAD");
        assertThat(errors).allSatisfy(error -> assertThat(error.message()).doesNotContain("sec"));
    }

    @Test
    void onlyEnvironmentSettingsAreSecret() {
        assertThat(notifier.isSecret("env.TOKEN")).isTrue();
        assertThat(notifier.isSecret("env.api_key")).isTrue();
        assertThat(notifier.isSecret("plugin")).isFalse();
        assertThat(notifier.isSecret("recipient")).isFalse();
        assertThat(notifier.secretSettings()).isEmpty();
        assertThat(notifier.service()).isEqualTo("plugin");
    }

    @Test
    void aRelativePluginDirectoryResolvesAgainstTheWorkingDirectory() {
        assertThat(notifier.pluginDirectory()).isEqualTo(Path.of("").toAbsolutePath().resolve("plugins"));
    }
}
