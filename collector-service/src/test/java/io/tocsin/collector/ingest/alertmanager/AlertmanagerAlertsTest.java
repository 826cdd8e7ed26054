package io.tocsin.collector.ingest.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.Severity;
import io.tocsin.schema.wire.FieldError;
import io.tocsin.schema.wire.InvalidRecordException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of the Alertmanager mapping a notification does not show all at once: hosts, settings, limits. */
class AlertmanagerAlertsTest {

    static final AlertmanagerSettings DEFAULTS = new AlertmanagerSettings(List.of("critical", "page", "error", "high"), "Host");

    @Test
    void theHostOfATargetLabelIsWithoutItsPort() {
        assertThat(AlertmanagerAlerts.hostWithoutPort("db1.example.com:9100")).isEqualTo("db1.example.com");
        assertThat(AlertmanagerAlerts.hostWithoutPort("10.0.0.7:9100")).isEqualTo("10.0.0.7");
        assertThat(AlertmanagerAlerts.hostWithoutPort("db1")).isEqualTo("db1");
        assertThat(AlertmanagerAlerts.hostWithoutPort("[::1]:9100")).isEqualTo("::1");
        assertThat(AlertmanagerAlerts.hostWithoutPort("[2001:db8::7]")).isEqualTo("2001:db8::7");
        assertThat(AlertmanagerAlerts.hostWithoutPort("fe80::1")).as("bare IPv6").isEqualTo("fe80::1");
        assertThat(AlertmanagerAlerts.hostWithoutPort("https://shop.example.com:8443/health")).isEqualTo("shop.example.com");
        assertThat(AlertmanagerAlerts.hostWithoutPort("http://[::1]:8080/")).isEqualTo("::1");
    }

    @Test
    void theHostOfTheExternalUrl() {
        assertThat(AlertmanagerAlerts.host("http://alertmanager.example.com:9093")).isEqualTo("alertmanager.example.com");
        assertThat(AlertmanagerAlerts.host("https://[2001:db8::1]:9093/am")).isEqualTo("2001:db8::1");
        assertThat(AlertmanagerAlerts.host("alertmanager:9093")).as("no scheme, no host").isNull();
        assertThat(AlertmanagerAlerts.host("")).isNull();
        assertThat(AlertmanagerAlerts.host(null)).isNull();
    }

    @Test
    void criticalSeveritiesAndTheDefaultComponentAreSettings() {
        AlertmanagerSettings custom = new AlertmanagerSettings(List.of(" SEV1 ", ""), "Service");
        assertThat(custom.criticalSeverities()).containsExactly("sev1");
        RawAlarm sev1 = read(custom, alert("firing", "{\"alertname\": \"A\", \"severity\": \"Sev1\"}")).getFirst();
        assertThat(sev1.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(sev1.getComponent()).isEqualTo("Service");
        assertThat(read(custom, alert("firing", "{\"alertname\": \"A\", \"severity\": \"critical\"}")).getFirst().getSeverity())
                .isEqualTo(Severity.WARNING);
        assertThat(read(DEFAULTS, alert("firing", "{\"alertname\": \"A\", \"severity\": \"HIGH\"}")).getFirst().getSeverity())
                .isEqualTo(Severity.CRITICAL);
        assertThat(read(DEFAULTS, alert("firing", "{\"alertname\": \"A\"}")).getFirst().getSeverity())
                .as("no severity label").isEqualTo(Severity.WARNING);
    }

    @Test
    void alertNamesAreSanitisedAndResolvedAlertsNeedNone() {
        assertThat(read(DEFAULTS, alert("firing", "{\"alertname\": \"job:up:ratio low\"}")).getFirst().getType())
                .isEqualTo("job-up-ratio-low");
        RawAlarm resolved = read(DEFAULTS, alert("resolved", "{}")).getFirst();
        assertThat(resolved.getType()).isEmpty();
        assertThat(resolved.getTimestamp()).as("Go's zero time is no time").isNull();
        assertThatThrownBy(() -> read(DEFAULTS, alert("firing", "{\"alertname\": \"::\"}")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("alerts[0].labels.alertname"));
    }

    @Test
    void longTextIsCutButAnOverlongHostIsAnError() {
        String description = "d".repeat(20_000);
        RawAlarm alarm = read(DEFAULTS, alert("firing", "{\"alertname\": \"A\"}")
                .replace("\"annotations\": {}", "\"annotations\": {\"description\": \"" + description + "\"}")).getFirst();
        assertThat(alarm.getMessage()).hasSize(16 * 1024).endsWith("…");
        assertThatThrownBy(() -> read(DEFAULTS, alert("firing", "{\"alertname\": \"A\", \"host\": \"" + "h".repeat(300) + "\"}")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("alerts[0].labels.host"));
    }

    private static String alert(String status, String labels) {
        return """
                {"version": "4", "externalURL": "http://am.example.com", "alerts": [
                  {"status": "%s", "labels": %s, "annotations": {}, "startsAt": "2026-11-20T10:00:00Z",
                   "endsAt": "0001-01-01T00:00:00Z", "fingerprint": "00000000000000aa"}]}""".formatted(status, labels);
    }

    private static List<RawAlarm> read(AlertmanagerSettings settings, String body) {
        return new AlertmanagerAlerts(settings, 10).read(body.getBytes(StandardCharsets.UTF_8), null).alarms();
    }
}
