package io.tocsin.dispatcher.channel.email;

import static io.tocsin.dispatcher.channel.email.EmailFixtures.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.schema.wire.FieldError;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Validation of the e-mail channel's settings through {@link EmailNotifier#validate}. */
class EmailSettingsTest {

    private final EmailNotifier notifier = EmailFixtures.notifier();

    @AfterEach
    void stop() {
        notifier.close();
    }

    private static Map<String, String> valid(String... changes) {
        Map<String, String> settings = new HashMap<>(Map.of("smtp-host", "smtp.example.org", "from", "tocsin@example.org",
                "to", "dba@example.org,oncall@example.org", "username", "tocsin", "password", PASSWORD));
        for (int i = 0; i < changes.length; i += 2) {
            if (changes[i + 1] == null) {
                settings.remove(changes[i]);
            } else {
                settings.put(changes[i], changes[i + 1]);
            }
        }
        return settings;
    }

    private List<FieldError> errors(Map<String, String> settings) {
        List<FieldError> errors = notifier.validate(settings);
        assertThat(errors).allSatisfy(error -> assertThat(error.message()).doesNotContain(PASSWORD));
        return errors;
    }

    @Test
    void theDocumentedExampleIsValidAndSecretIsOnlyThePassword() {
        assertThat(errors(valid())).isEmpty();
        assertThat(notifier.service()).isEqualTo("email");
        assertThat(notifier.secretSettings()).isEqualTo(Set.of("password"));
    }

    @Test
    void namesEveryMissingRequiredSetting() {
        assertThat(errors(Map.of())).extracting(FieldError::field).containsExactly("smtp-host", "from", "to");
        assertThat(errors(Map.of("smtp-host", " ", "from", "", "to", "  "))).extracting(FieldError::field)
                .containsExactly("smtp-host", "from", "to");
    }

    @Test
    void namesEachInvalidSetting() {
        assertThat(errors(valid("smtp-host", "smtp://smtp.example.org"))).singleElement().isEqualTo(
                new FieldError("smtp-host", "must be a host name or an IP address, without port or scheme"));
        assertThat(errors(valid("smtp-host", "smtp.example.org:25"))).extracting(FieldError::field).containsExactly("smtp-host");
        for (String port : new String[] {"0", "65536", "smtp", "-1"}) {
            assertThat(errors(valid("smtp-port", port))).singleElement()
                    .isEqualTo(new FieldError("smtp-port", "must be a port number from 1 to 65535"));
        }
        assertThat(errors(valid("security", "ssl"))).singleElement()
                .isEqualTo(new FieldError("security", "must be 'starttls' (the default), 'tls' or 'none'"));
        assertThat(errors(valid("from", "a@example.org, b@example.org"))).singleElement()
                .isEqualTo(new FieldError("from", "must be exactly one e-mail address"));
        assertThat(errors(valid("from", "tocsin"))).singleElement()
                .isEqualTo(new FieldError("from", "address 1 of 1 is not a valid e-mail address (user@domain)"));
        assertThat(errors(valid("to", "dba@example.org, oncall@"))).extracting(FieldError::field).containsExactly("to");
        assertThat(errors(valid("to", "dba@example.org, oncall"))).singleElement()
                .isEqualTo(new FieldError("to", "address 2 of 2 is not a valid e-mail address (user@domain)"));
        assertThat(errors(valid("to", "dba@example.org\r\nBcc: x@example.net"))).singleElement()
                .isEqualTo(new FieldError("to", "must not contain control characters or line breaks"));
        assertThat(errors(valid("to", "team: a@example.org, b@example.org;"))).extracting(FieldError::field).containsExactly("to");
        assertThat(errors(valid("tls-trust", "smtp.example.org bad/host"))).extracting(FieldError::field).containsExactly("tls-trust");
        assertThat(errors(valid("security", "none", "tls-trust", "*"))).singleElement()
                .isEqualTo(new FieldError("tls-trust", "applies only with security 'starttls' or 'tls'"));
    }

    @Test
    void credentialsComeInPairsAndThePasswordIsNeverEchoed() {
        assertThat(errors(valid("password", null))).singleElement()
                .isEqualTo(new FieldError("password", "is required when username is set"));
        assertThat(errors(valid("username", null))).singleElement()
                .isEqualTo(new FieldError("username", "is required when password is set (SMTP AUTH needs both)"));
        // A password pasted into other settings is not echoed either.
        assertThat(errors(valid("smtp-host", PASSWORD + ":25", "smtp-port", PASSWORD, "security", PASSWORD, "from", PASSWORD,
                "to", PASSWORD, "tls-trust", PASSWORD + "/x", "username", null))).extracting(FieldError::field)
                .containsExactlyInAnyOrder("smtp-host", "smtp-port", "security", "from", "to", "tls-trust", "username");
    }

    @Test
    void portDefaultsFollowTheSecurityMode() {
        assertThat(EmailSettings.parse(valid()).settings().port()).isEqualTo(587);
        assertThat(EmailSettings.parse(valid()).settings().security()).isEqualTo(EmailSettings.Security.STARTTLS);
        assertThat(EmailSettings.parse(valid("security", "TLS")).settings().port()).isEqualTo(465);
        assertThat(EmailSettings.parse(valid("security", "none", "smtp-port", null)).settings().port()).isEqualTo(25);
        assertThat(EmailSettings.parse(valid("security", "tls", "smtp-port", "2465")).settings().port()).isEqualTo(2465);
    }

    @Test
    void acceptsIpLiteralsDisplayNamesAndTrustLists() {
        EmailSettings settings = EmailSettings.parse(valid("smtp-host", "[2001:db8::25]", "from", "\"Tocsin, alarms\" <tocsin@example.org>",
                "tls-trust", "smtp.example.org  10.0.0.25")).settings();

        assertThat(settings.host()).isEqualTo("2001:db8::25");
        assertThat(settings.from().getAddress()).isEqualTo("tocsin@example.org");
        assertThat(settings.from().getPersonal()).isEqualTo("Tocsin, alarms");
        assertThat(settings.to()).extracting(a -> a.getAddress()).containsExactly("dba@example.org", "oncall@example.org");
        assertThat(settings.tlsTrust()).isEqualTo("smtp.example.org  10.0.0.25");
        assertThat(settings.toString()).doesNotContain(PASSWORD);
        assertThat(errors(valid("smtp-host", "10.1.2.3"))).isEmpty();
    }
}
