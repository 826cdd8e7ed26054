package io.tocsin.dispatcher.channel.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.dispatcher.DispatcherSettings;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.OutboundTargets;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.Severity;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.snmp4j.MessageException;
import org.snmp4j.PDU;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/** SNMP v2c against a real SNMP4J receiver on 127.0.0.1: TRAP and INFORM, both MIB layouts, target policy. */
class SnmpNotifierTest {

    /** 2025-01-02T03:04:06Z (TestEvents.OPENED + 1 s, a CREATED event's time) as DateAndTime, UTC. */
    private static final byte[] CREATED_TIME = {0x07, (byte) 0xE9, 1, 2, 3, 4, 6, 0, '+', 0, 0};
    /** 2025-01-02T03:04:08Z (OPENED + 3 s, an ENDED event's time). */
    private static final byte[] ENDED_TIME = {0x07, (byte) 0xE9, 1, 2, 3, 4, 8, 0, '+', 0, 0};

    private SnmpTestReceiver receiver;
    private SnmpNotifier notifier;

    @BeforeEach
    void start() throws Exception {
        receiver = SnmpTestReceiver.v2c(true);
        notifier = new SnmpNotifier(settingsWithTimeout(Duration.ofSeconds(5)), OutboundTargets.defaults());
    }

    @AfterEach
    void stop() throws Exception {
        notifier.close();
        receiver.close();
    }

    @Test
    void sendsACreatedEventAsTocsinAlarmRaisedWithEveryVarbind() throws Exception {
        long uptimeBefore = uptimeCentiseconds();

        DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED),
                integration(Map.of("community", "n0c-Secret")));

        assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        SnmpTestReceiver.Received trap = receiver.next();
        assertThat(trap).isNotNull();
        assertThat(trap.securityModel()).isEqualTo(SecurityModel.SECURITY_MODEL_SNMPv2c);
        assertThat(trap.securityName()).isEqualTo("n0c-Secret");
        assertThat(trap.pdu().getType()).isEqualTo(PDU.TRAP);
        List<? extends VariableBinding> varbinds = trap.pdu().getVariableBindings();
        assertThat(varbinds).extracting(VariableBinding::getOid).containsExactly(
                new OID("1.3.6.1.2.1.1.3.0"), new OID("1.3.6.1.6.3.1.1.4.1.0"),
                new OID("1.3.6.1.4.1.32473.1.1.1.0"), new OID("1.3.6.1.4.1.32473.1.1.2.0"),
                new OID("1.3.6.1.4.1.32473.1.1.3.0"), new OID("1.3.6.1.4.1.32473.1.1.4.0"),
                new OID("1.3.6.1.4.1.32473.1.1.5.0"), new OID("1.3.6.1.4.1.32473.1.1.6.0"),
                new OID("1.3.6.1.4.1.32473.1.1.7.0"), new OID("1.3.6.1.4.1.32473.1.1.8.0"),
                new OID("1.3.6.1.4.1.32473.1.1.9.0"), new OID("1.3.6.1.4.1.32473.1.1.10.0"),
                new OID("1.3.6.1.4.1.32473.1.1.11.0"), new OID("1.3.6.1.4.1.32473.1.1.12.0"),
                new OID("1.3.6.1.4.1.32473.1.1.13.0"));
        assertThat(varbinds.get(0).getVariable()).isInstanceOf(TimeTicks.class);
        assertThat(((TimeTicks) varbinds.get(0).getVariable()).getValue()).isBetween(uptimeBefore, uptimeCentiseconds());
        assertThat(varbinds.get(1).getVariable()).isEqualTo(new OID("1.3.6.1.4.1.32473.1.0.1"));
        assertThat(varbinds.subList(2, varbinds.size())).extracting(VariableBinding::getVariable).containsExactly(
                utf8("cmon:470"), utf8("cmon:470/1735787045000/1"), new Integer32(3), utf8("prod-galera"),
                utf8("db1.example.org"), utf8("Node"), utf8("MySqlDisconnected"), utf8("Server db1 reports: Disconnected"),
                utf8("Server db1:3306 is disconnected."), utf8("Restart failed node"), utf8("cmon"),
                new OctetString(CREATED_TIME), utf8("Node"));
    }

    @Test
    void sendsAnEndedEventAsTocsinAlarmClearedWithSeverityCleared() throws Exception {
        DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.ENDED, Severity.WARNING, "c1",
                List.of("Network", "Host")), integration(Map.of()));

        assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        SnmpTestReceiver.Received trap = receiver.next();
        assertThat(trap.securityName()).isEqualTo("public");
        assertThat(value(trap, "1.3.6.1.6.3.1.1.4.1.0")).isEqualTo(new OID("1.3.6.1.4.1.32473.1.0.2"));
        assertThat(value(trap, "1.3.6.1.4.1.32473.1.1.3.0")).isEqualTo(new Integer32(1));
        assertThat(value(trap, "1.3.6.1.4.1.32473.1.1.2.0")).isEqualTo(utf8("cmon:470/1735787045000/3"));
        assertThat(value(trap, "1.3.6.1.4.1.32473.1.1.4.0")).isEqualTo(utf8("c1"));
        assertThat(value(trap, "1.3.6.1.4.1.32473.1.1.12.0")).isEqualTo(new OctetString(ENDED_TIME));
        assertThat(value(trap, "1.3.6.1.4.1.32473.1.1.13.0")).isEqualTo(utf8("Network,Host"));
    }

    @Test
    void sendsAWarningAsItuSeverityWarning() throws Exception {
        notifier.notify(TestEvents.event("9", AlarmEventStatus.CREATED, Severity.WARNING, "c1", List.of()), integration(Map.of()));

        SnmpTestReceiver.Received trap = receiver.next();
        assertThat(value(trap, "1.3.6.1.4.1.32473.1.1.3.0")).isEqualTo(new Integer32(6));
        assertThat(value(trap, "1.3.6.1.4.1.32473.1.1.13.0")).isEqualTo(utf8(""));
    }

    @Test
    void sendsPacemakerMibVarbinds() throws Exception {
        DeliveryResult created = notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED),
                integration(Map.of("varbinds", "pacemaker")));
        DeliveryResult ended = notifier.notify(TestEvents.event("470", AlarmEventStatus.ENDED),
                integration(Map.of("varbinds", "pacemaker")));

        assertThat(List.of(created, ended)).containsOnly(DeliveryResult.Delivered.INSTANCE);
        for (int returnCode : new int[] {1, 0}) {
            List<? extends VariableBinding> varbinds = receiver.next().pdu().getVariableBindings();
            assertThat(varbinds).extracting(VariableBinding::getOid).containsExactly(
                    new OID("1.3.6.1.2.1.1.3.0"), new OID("1.3.6.1.6.3.1.1.4.1.0"),
                    new OID("1.3.6.1.4.1.32723.1.1"), new OID("1.3.6.1.4.1.32723.1.2"), new OID("1.3.6.1.4.1.32723.1.3"),
                    new OID("1.3.6.1.4.1.32723.1.4"), new OID("1.3.6.1.4.1.32723.1.5"), new OID("1.3.6.1.4.1.32723.1.6"),
                    new OID("1.3.6.1.4.1.32723.1.7"), new OID("1.3.6.1.4.1.32723.1.8"), new OID("1.3.6.1.4.1.32723.1.9"),
                    new OID("1.3.6.1.2.1.25.1.2"));
            assertThat(varbinds.subList(1, varbinds.size())).extracting(VariableBinding::getVariable).containsExactly(
                    new OID("1.3.6.1.4.1.32723.2.1"), utf8("db1.example.org"), utf8("MySqlDisconnected"), utf8("monitor"),
                    utf8("Server db1 reports: Disconnected"), new Integer32(0), new Integer32(returnCode), new Integer32(0),
                    utf8("n/a"), utf8("n/a"), new OctetString(returnCode == 1 ? CREATED_TIME : ENDED_TIME));
        }
    }

    @Test
    void pacemakerStringsAreTruncatedToTheMibsSizesAndNeverEmpty() throws Exception {
        var event = TestEvents.event("1", AlarmEventStatus.CREATED);
        event.setHostname("h".repeat(70));
        event.setTitle("é".repeat(200)); // 400 octets in UTF-8: cut to 256, on a character boundary
        notifier.notify(event, integration(Map.of("varbinds", "pacemaker")));
        var empty = TestEvents.event("2", AlarmEventStatus.CREATED);
        empty.setHostname("");
        notifier.notify(empty, integration(Map.of("varbinds", "pacemaker")));

        SnmpTestReceiver.Received truncated = receiver.next();
        assertThat(value(truncated, "1.3.6.1.4.1.32723.1.1")).isEqualTo(utf8("h".repeat(64)));
        assertThat(value(truncated, "1.3.6.1.4.1.32723.1.4")).isEqualTo(utf8("é".repeat(128)));
        assertThat(value(receiver.next(), "1.3.6.1.4.1.32723.1.1")).isEqualTo(utf8("n/a"));
    }

    @Test
    void anAcknowledgedInformIsDelivered() throws Exception {
        DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED),
                integration(Map.of("inform", "true")));

        assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        SnmpTestReceiver.Received inform = receiver.next();
        assertThat(inform.pdu().getType()).isEqualTo(PDU.INFORM);
        assertThat(value(inform, "1.3.6.1.6.3.1.1.4.1.0")).isEqualTo(new OID("1.3.6.1.4.1.32473.1.0.1"));
    }

    @Test
    void anUnansweredInformTimesOutWithinTheRequestTimeout() throws Exception {
        SnmpNotifier quick = new SnmpNotifier(settingsWithTimeout(Duration.ofMillis(400)), OutboundTargets.defaults());
        try (SnmpTestReceiver silent = SnmpTestReceiver.v2c(false)) {
            long started = System.nanoTime();
            DeliveryResult unanswered = quick.notify(TestEvents.event("470", AlarmEventStatus.CREATED),
                    integration(Map.of("inform", "true", "port", Integer.toString(silent.port()))));
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

            assertThat(unanswered).isEqualTo(new DeliveryResult.Retryable(Failure.TIMEOUT,
                    "no acknowledgement of the SNMP INFORM within 400 ms"));
            assertThat(elapsedMillis).isBetween(390L, 3_000L);
            assertThat(silent.next().pdu().getType()).isEqualTo(PDU.INFORM); // it did arrive: only the answer is missing
            DeliveryResult nobodyListening = quick.notify(TestEvents.event("470", AlarmEventStatus.CREATED),
                    integration(Map.of("inform", "true", "port", Integer.toString(freeUdpPort()))));
            assertThat(nobodyListening).isInstanceOf(DeliveryResult.Retryable.class)
                    .extracting(r -> ((DeliveryResult.Retryable) r).failure()).isEqualTo(Failure.TIMEOUT);
        } finally {
            quick.close();
        }
    }

    @Test
    void aTrapToAPortNobodyListensOnIsStillDeliveredBecauseTrapsAreUnacknowledged() throws Exception {
        DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED),
                integration(Map.of("port", Integer.toString(freeUdpPort()))));

        assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
    }

    @Test
    void aDeniedTargetIsAPermanentConfigFailureAndNothingIsSent() throws Exception {
        SnmpNotifier denied = new SnmpNotifier(DispatcherSettings.defaults(), new OutboundTargets(List.of("127.0.0.0/8"), List.of()));
        try {
            DeliveryResult result = denied.notify(TestEvents.event("470", AlarmEventStatus.CREATED),
                    integration(Map.of("community", "n0c-Secret")));

            assertThat(result).isInstanceOf(DeliveryResult.Permanent.class);
            assertThat(((DeliveryResult.Permanent) result).failure()).isEqualTo(Failure.CONFIG);
            assertThat(result.reason()).contains("127.0.0.1").doesNotContain("n0c-Secret");
        } finally {
            denied.close();
        }
        notifier.notify(TestEvents.event("471", AlarmEventStatus.CREATED), integration(Map.of()));
        assertThat(value(receiver.next(), "1.3.6.1.4.1.32473.1.1.1.0")).isEqualTo(utf8("cmon:471")); // 470 never came
    }

    @Test
    void anUnresolvableHostIsARetryableConnectFailure() {
        Map<String, String> settings = new HashMap<>(Map.of("host", "no-such-host.invalid", "community", "n0c-Secret"));

        DeliveryResult result = notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED),
                IntegrationConfig.declared("ops", "snmp", settings));

        assertThat(result).isEqualTo(new DeliveryResult.Retryable(Failure.CONNECT, "cannot resolve the SNMP receiver's host name"));
    }

    @Test
    void invalidSettingsAreAPermanentConfigFailureNamingTheSettingNotItsValue() {
        DeliveryResult result = notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED), IntegrationConfig.declared("ops",
                "snmp", Map.of("host", "127.0.0.1", "version", "3", "security-name", "tocsin", "security-level", "authNoPriv",
                "auth-password", "short")));

        assertThat(result).isEqualTo(new DeliveryResult.Permanent(Failure.CONFIG,
                "invalid SNMP setting tocsin.dispatcher.integrations.ops.auth-password must be at least 8 characters (RFC 3414)"));
        assertThat(result.reason()).doesNotContain("short");
    }

    @Test
    void aTransportErrorIsRetryableAndAMessageSnmp4jCannotBuildIsPermanent() {
        // SNMP4J's own exceptions, as its MessageDispatcherImpl throws them (a socket error is wrapped).
        assertThat(SnmpNotifier.sendFailure(new MessageException("send failed", 0, new java.net.SocketException("x"))))
                .isEqualTo(new DeliveryResult.Retryable(Failure.CONNECT, "SNMP send failed: SocketException"));
        assertThat(SnmpNotifier.sendFailure(new java.net.PortUnreachableException("x")))
                .isEqualTo(new DeliveryResult.Retryable(Failure.CONNECT, "SNMP send failed: PortUnreachableException"));
        assertThat(SnmpNotifier.sendFailure(new MessageException("Unknown security name", SnmpConstants.SNMPv3_USM_UNKNOWN_SECURITY_NAME)))
                .isEqualTo(new DeliveryResult.Permanent(Failure.CONFIG, "SNMP4J cannot build the SNMP message (error status 1404)"));
    }

    private IntegrationConfig integration(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>();
        settings.put("host", "127.0.0.1");
        settings.put("port", Integer.toString(receiver.port()));
        settings.putAll(extra);
        return IntegrationConfig.declared("ops", "snmp", settings);
    }

    static DispatcherSettings settingsWithTimeout(Duration timeout) {
        DispatcherSettings defaults = DispatcherSettings.defaults();
        return new DispatcherSettings(defaults.groupId(), defaults.initialBackoff(), defaults.maxBackoff(),
                defaults.deliveryDeadline(), timeout, true);
    }

    static Variable value(SnmpTestReceiver.Received received, String oid) {
        VariableBinding binding = received.pdu().getVariableBindings().stream()
                .filter(vb -> vb.getOid().equals(new OID(oid))).findFirst().orElseThrow();
        return binding.getVariable();
    }

    static OctetString utf8(String text) {
        return new OctetString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static long uptimeCentiseconds() {
        return ManagementFactory.getRuntimeMXBean().getUptime() / 10;
    }

    static int freeUdpPort() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
