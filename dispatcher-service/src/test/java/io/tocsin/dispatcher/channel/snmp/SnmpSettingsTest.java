package io.tocsin.dispatcher.channel.snmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tocsin.dispatcher.DispatcherSettings;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.OutboundTargets;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.wire.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Validation and parsing of the SNMP channel's settings; secrets are never echoed. */
class SnmpSettingsTest {

    private static final String SECRET = "Sup3rSecretValue";

    private final SnmpNotifier notifier = new SnmpNotifier(DispatcherSettings.defaults(), OutboundTargets.defaults());

    @Test
    void declaresTheSecretSettings() {
        assertThat(notifier.service()).isEqualTo("snmp");
        assertThat(notifier.secretSettings()).containsExactlyInAnyOrder("community", "auth-password", "priv-password");
    }

    @Test
    void acceptsMinimalV2cAndFullV3Settings() {
        assertThat(notifier.validate(Map.of("host", "traps.example.org"))).isEmpty();
        assertThat(notifier.validate(Map.of("host", "192.0.2.10", "port", "1162", "community", SECRET, "inform", "true",
                "varbinds", "pacemaker"))).isEmpty();
        assertThat(notifier.validate(Map.of("host", "[2001:db8::1]", "version", "3", "security-name", "tocsin",
                "security-level", "authPriv", "auth-protocol", "SHA-512", "auth-password", SECRET, "priv-protocol", "AES-256",
                "priv-password", SECRET, "engine-id", "0x80007ed90501020304"))).isEmpty();
        assertThat(notifier.validate(Map.of("host", "h", "version", "3", "security-name", "u", "security-level", "noAuthNoPriv")))
                .isEmpty();
    }

    @Test
    void parsesDefaults() {
        SnmpSettings v2c = SnmpSettings.parse(Map.of("host", "traps.example.org"), "ops");
        assertThat(v2c).isEqualTo(new SnmpSettings("traps.example.org", 162, SnmpSettings.Version.V2C, "public", null, false,
                SnmpSettings.Layout.TOCSIN));

        SnmpSettings v3 = SnmpSettings.parse(Map.of("host", "[::1]", "version", "3", "security-name", "tocsin",
                "auth-password", SECRET, "priv-password", SECRET), "ops");
        assertThat(v3.host()).isEqualTo("::1");
        assertThat(v3.usm()).isEqualTo(new SnmpSettings.UsmSettings(java.util.HexFormat.of().formatHex(SnmpSettings.derivedEngineId("ops")),
                "tocsin", SnmpSettings.Level.AUTH_PRIV, SnmpSettings.AuthProtocol.SHA_256, SECRET, SnmpSettings.PrivProtocol.AES, SECRET));
        assertThat(v3.toString()).doesNotContain(SECRET).contains("engine 0x80007ed905");
        assertThat(SnmpSettings.parse(Map.of("host", "h", "community", SECRET), "ops").toString()).doesNotContain(SECRET);
    }

    @Test
    void namesEachMissingOrInvalidSetting() {
        assertThat(fields(Map.of())).containsExactly("host");
        assertThat(fields(Map.of("host", "bad host!", "port", "70000", "version", "1", "inform", "yes", "varbinds", "cc")))
                .containsExactly("host", "port", "version", "inform", "varbinds");
        assertThat(fields(Map.of("host", "h", "version", "3"))).containsExactly("security-name", "auth-password", "priv-password");
        assertThat(fields(Map.of("host", "h", "version", "3", "security-name", "x".repeat(33), "security-level", "authAndPriv",
                "auth-protocol", "SHA-1024", "priv-protocol", "AES-512", "engine-id", "0x0102")))
                .containsExactly("security-name", "security-level", "auth-protocol", "priv-protocol", "engine-id");
        assertThat(fields(Map.of("host", "h", "version", "3", "security-name", "u", "security-level", "authNoPriv")))
                .containsExactly("auth-password");
        assertThat(fields(Map.of("host", "h", "version", "3", "security-name", "u", "auth-password", SECRET,
                "priv-password", SECRET, "engine-id", "0000000000"))).containsExactly("engine-id");
        assertThat(fields(Map.of("host", "h", "version", "3", "security-name", "u", "auth-password", SECRET,
                "priv-password", SECRET, "community", SECRET))).containsExactly("community");
        assertThat(fields(Map.of("host", "h", "security-name", "u", "auth-password", SECRET)))
                .containsExactly("security-name", "auth-password");
    }

    @Test
    void neverEchoesASecretInAValidationMessage() {
        List<FieldError> errors = new ArrayList<>();
        errors.addAll(notifier.validate(Map.of("host", "h", "version", "3", "security-name", "u",
                "auth-password", "Sup3r", "priv-password", "Sup3r")));
        errors.addAll(notifier.validate(Map.of("host", "h", "version", "3", "security-name", "u",
                "auth-password", SECRET, "priv-password", SECRET, "community", SECRET, "engine-id", SECRET)));
        errors.addAll(notifier.validate(Map.of("host", "h", "community", SECRET, "auth-password", SECRET, "priv-password", SECRET)));

        assertThat(errors).extracting(FieldError::field)
                .contains("auth-password", "priv-password", "community", "engine-id");
        assertThat(errors).allSatisfy(error -> assertThat(error.message()).doesNotContain("Sup3r"));
    }

    @Test
    void noDeliveryReasonEverContainsACommunityOrPassword() throws Exception {
        List<DeliveryResult> results = new ArrayList<>();
        var event = TestEvents.event("1", AlarmEventStatus.CREATED);
        for (Map<String, String> settings : List.of(
                Map.of("host", "127.0.0.1", "port", "0", "community", SECRET),
                Map.of("host", "no-such-host.invalid", "community", SECRET),
                Map.of("host", "127.0.0.1", "version", "3", "security-name", "u", "auth-password", SECRET,
                        "priv-password", "Sup3r"),
                Map.of("host", "127.0.0.1", "version", "3", "security-name", "u", "auth-password", SECRET,
                        "priv-password", SECRET, "community", SECRET))) {
            results.add(notifier.notify(event, IntegrationConfig.declared("ops", "snmp", new HashMap<>(settings))));
        }
        SnmpNotifier denying = new SnmpNotifier(DispatcherSettings.defaults(), new OutboundTargets(List.of("127.0.0.0/8"), List.of()));
        results.add(denying.notify(event, IntegrationConfig.declared("ops", "snmp", Map.of("host", "127.0.0.1", "community", SECRET))));
        denying.close();
        notifier.close();

        assertThat(results).hasSize(5).allSatisfy(result -> {
            assertThat(result).isNotInstanceOf(DeliveryResult.Delivered.class);
            assertThat(result.reason()).doesNotContain("Sup3r");
        });
    }

    @Test
    void parseRefusesInvalidSettingsNamingTheSetting() {
        assertThatThrownBy(() -> SnmpSettings.parse(Map.of("host", "h", "community", SECRET, "port", "x"), "ops"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port must be a UDP port number from 1 to 65535");
    }

    private List<String> fields(Map<String, String> settings) {
        return notifier.validate(settings).stream().map(FieldError::field).toList();
    }
}
