package io.tocsin.dispatcher.channel.snmp;

import io.tocsin.dispatcher.DispatcherSettings;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.dispatcher.delivery.OutboundTargets;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.wire.FieldError;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snmp4j.CommunityTarget;
import org.snmp4j.MessageException;
import org.snmp4j.PDU;
import org.snmp4j.ScopedPDU;
import org.snmp4j.Snmp;
import org.snmp4j.Target;
import org.snmp4j.UserTarget;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;

/**
 * Sends one SNMP notification per alarm event (service {@code snmp}): SNMP v2c with a community or SNMPv3 with
 * USM (authentication and privacy), as a TRAP or an INFORM, with TOCSIN-MIB varbinds ({@link TocsinMib}) or
 * PACEMAKER-MIB-compatible ones ({@link PacemakerMib}). Settings: {@link SnmpSettings}; sessions:
 * {@link SnmpSessions}.
 *
 * <p>TRAPs are unacknowledged UDP: once the datagram is handed to the network the result is
 * {@link DeliveryResult.Delivered}, whether or not a receiver listens, accepts the community or can decrypt it.
 * For reliable delivery set {@code inform: true}: the receiver then acknowledges each notification and a missing
 * acknowledgement is retried by the delivery engine.
 *
 * <p>Error contract (as {@link Notifier}; one attempt, never a retry here):
 * <ul>
 *   <li>invalid settings → {@link DeliveryResult.Permanent} {@link Failure#CONFIG}, naming the setting;</li>
 *   <li>target refused by {@code tocsin.dispatcher.outbound.*} → Permanent CONFIG;</li>
 *   <li>host name that does not resolve → {@link DeliveryResult.Retryable} {@link Failure#CONNECT};</li>
 *   <li>an I/O error while sending → Retryable CONNECT; a message SNMP4J refuses to build (e.g. a protocol it
 *       lacks) → Permanent CONFIG, since a retry builds it the same ({@link #sendFailure});</li>
 *   <li>INFORM: see {@link #informOutcome} (no answer within {@code tocsin.dispatcher.request-timeout} → Retryable
 *       TIMEOUT; a USM report → Permanent AUTH; another report or an error-status → Permanent SERVER).</li>
 * </ul>
 * The community and the USM pass phrases never appear in a reason, a validation message nor a log line; the
 * effective SNMPv3 engine id, which is not secret and which receivers need, is logged at INFO.
 */
@Singleton
public class SnmpNotifier implements Notifier, AutoCloseable {

    public static final String SERVICE = "snmp";

    /** {@code usmStats}: 1.3.6.1.6.3.15.1.1 (SNMP-USER-BASED-SM-MIB), the counters USM reports carry. */
    static final OID USM_STATS = new OID("1.3.6.1.6.3.15.1.1");

    private static final Map<OID, String> USM_STATS_NAMES = Map.of(
            SnmpConstants.usmStatsUnsupportedSecLevels, "usmStatsUnsupportedSecLevels",
            SnmpConstants.usmStatsNotInTimeWindows, "usmStatsNotInTimeWindows",
            SnmpConstants.usmStatsUnknownUserNames, "usmStatsUnknownUserNames",
            SnmpConstants.usmStatsUnknownEngineIDs, "usmStatsUnknownEngineIDs",
            SnmpConstants.usmStatsWrongDigests, "usmStatsWrongDigests",
            SnmpConstants.usmStatsDecryptionErrors, "usmStatsDecryptionErrors");

    private final DispatcherSettings settings;
    private final OutboundTargets targets;
    private final SnmpSessions sessions = new SnmpSessions();

    public SnmpNotifier(DispatcherSettings settings, OutboundTargets targets) {
        this.settings = settings;
        this.targets = targets;
    }

    @Override
    public String service() {
        return SERVICE;
    }

    /** {@code community}, {@code auth-password} and {@code priv-password}. */
    @Override
    public Set<String> secretSettings() {
        return SnmpSettings.SECRETS;
    }

    @Override
    public boolean knows(String setting) {
        return Set.of(SnmpSettings.HOST, SnmpSettings.PORT, SnmpSettings.VERSION, SnmpSettings.COMMUNITY,
                SnmpSettings.SECURITY_NAME, SnmpSettings.SECURITY_LEVEL, SnmpSettings.AUTH_PROTOCOL, SnmpSettings.AUTH_PASSWORD,
                SnmpSettings.PRIV_PROTOCOL, SnmpSettings.PRIV_PASSWORD, SnmpSettings.ENGINE_ID, SnmpSettings.INFORM,
                SnmpSettings.VARBINDS).contains(setting);
    }

    @Override
    public List<FieldError> validate(Map<String, String> settings) {
        return SnmpSettings.validate(settings);
    }

    @Override
    public DeliveryResult notify(AlarmEvent event, IntegrationConfig integration) {
        SnmpSettings snmp;
        try {
            snmp = SnmpSettings.parse(integration.settings(), integration.name());
        } catch (IllegalArgumentException e) {
            // The message names the setting and what it must be, never its value.
            return new DeliveryResult.Permanent(Failure.CONFIG, "invalid SNMP setting " + integration.key(e.getMessage()));
        }
        DeliveryResult refused = targets.check(snmp.host());
        if (refused != null) {
            return refused;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(snmp.host());
        } catch (UnknownHostException e) {
            return new DeliveryResult.Retryable(Failure.CONNECT, "cannot resolve the SNMP receiver's host name");
        }
        Duration timeout = settings.requestTimeout();
        UdpAddress receiver = new UdpAddress(address, snmp.port());
        try {
            Snmp session = snmp.version() == SnmpSettings.Version.V2C
                    ? sessions.community() : sessions.usm(integration.id(), integration.name(), snmp.usm());
            PDU pdu = pdu(event, snmp);
            ResponseEvent<UdpAddress> response = session.send(pdu, target(snmp, receiver, timeout));
            if (Thread.currentThread().isInterrupted()) {
                return new DeliveryResult.Retryable(Failure.TIMEOUT, "interrupted");
            }
            return snmp.inform() ? informOutcome(response, timeout) : DeliveryResult.Delivered.INSTANCE;
        } catch (IOException e) {
            return sendFailure(e);
        }
    }

    /**
     * A failed send. SNMP4J wraps the transport's {@link IOException} in a {@link MessageException}: that is a
     * network failure, retryable. A {@link MessageException} of its own (an error status of the message
     * processing or security model: unknown user, unsupported protocol, message too big) is the same on every
     * attempt: permanent. Reasons carry class names and SNMP4J's status number only.
     */
    static DeliveryResult sendFailure(IOException e) {
        if (e instanceof MessageException message && !(message.getCause() instanceof IOException)) {
            return new DeliveryResult.Permanent(Failure.CONFIG, "SNMP4J cannot build the SNMP message (error status "
                    + message.getSnmp4jErrorStatus() + ")");
        }
        Throwable cause = e instanceof MessageException && e.getCause() != null ? e.getCause() : e;
        return new DeliveryResult.Retryable(Failure.CONNECT, "SNMP send failed: " + cause.getClass().getSimpleName());
    }

    /** The notification PDU: a TRAP (SNMPv2-Trap-PDU) or an INFORM, scoped for SNMPv3. */
    static PDU pdu(AlarmEvent event, SnmpSettings snmp) {
        PDU pdu = snmp.version() == SnmpSettings.Version.V3 ? new ScopedPDU() : new PDU();
        pdu.setType(snmp.inform() ? PDU.INFORM : PDU.TRAP);
        TimeTicks uptime = TocsinMib.processUptime();
        List<VariableBinding> varbinds = snmp.layout() == SnmpSettings.Layout.PACEMAKER
                ? PacemakerMib.varbinds(event, uptime) : TocsinMib.varbinds(event, uptime);
        pdu.addAll(varbinds);
        return pdu;
    }

    /**
     * The target: one attempt (no SNMP4J retries: the delivery engine retries), bounded by the request timeout,
     * which only INFORMs wait for.
     */
    private static Target<UdpAddress> target(SnmpSettings snmp, UdpAddress receiver, Duration timeout) {
        Target<UdpAddress> target;
        if (snmp.version() == SnmpSettings.Version.V2C) {
            CommunityTarget<UdpAddress> community = new CommunityTarget<>(receiver, new OctetString(snmp.community()));
            community.setVersion(SnmpConstants.version2c);
            target = community;
        } else {
            // The authoritative engine id stays empty: a trap's is the session's own engine, an INFORM's is the
            // receiver's, which SNMP4J discovers (RFC 3414 section 4).
            UserTarget<UdpAddress> user = new UserTarget<>(receiver, new OctetString(snmp.usm().securityName()), new byte[0],
                    snmp.usm().level().snmp4j);
            user.setVersion(SnmpConstants.version3);
            user.setSecurityModel(SecurityModel.SECURITY_MODEL_USM);
            target = user;
        }
        target.setRetries(0);
        target.setTimeout(timeout.toMillis());
        return target;
    }

    /**
     * Classifies the answer to an INFORM (RFC 3416 section 4.2.7): a RESPONSE without error is delivery; no answer
     * within the request timeout is a retryable {@link Failure#TIMEOUT}; a REPORT is the receiver's security
     * subsystem refusing the message (RFC 3414 section 3.2: unknown user, wrong digest, ...), a permanent
     * {@link Failure#AUTH} for the USM's counters and {@link Failure#SERVER} for any other report; a RESPONSE with
     * an error-status is permanent too ({@link Failure#AUTH} for {@code authorizationError}, else {@link Failure#SERVER}).
     * Reports the engine id discovery and time synchronisation need are handled by SNMP4J before this sees them.
     */
    static DeliveryResult informOutcome(ResponseEvent<?> event, Duration timeout) {
        PDU response = event == null ? null : event.getResponse();
        if (response == null) {
            if (event != null && event.getError() != null) {
                return new DeliveryResult.Retryable(Failure.CONNECT, "SNMP INFORM failed: " + event.getError().getClass().getSimpleName());
            }
            return new DeliveryResult.Retryable(Failure.TIMEOUT, "no acknowledgement of the SNMP INFORM within "
                    + timeout.toMillis() + " ms");
        }
        if (response.getType() == PDU.REPORT) {
            OID reported = response.size() > 0 ? response.get(0).getOid() : null;
            if (reported != null && reported.startsWith(USM_STATS)) {
                return new DeliveryResult.Permanent(Failure.AUTH, "the SNMP receiver refused the SNMPv3 credentials: "
                        + USM_STATS_NAMES.getOrDefault(reported, reported.toDottedString()));
            }
            return new DeliveryResult.Permanent(Failure.SERVER, "the SNMP receiver answered with a report: "
                    + (reported == null ? "empty" : reported.toDottedString()));
        }
        int errorStatus = response.getErrorStatus();
        if (errorStatus != PDU.noError) {
            Failure failure = errorStatus == PDU.authorizationError ? Failure.AUTH : Failure.SERVER;
            return new DeliveryResult.Permanent(failure, "the SNMP receiver answered the INFORM with error-status "
                    + response.getErrorStatusText() + " (" + errorStatus + ")", errorStatus);
        }
        return DeliveryResult.Delivered.INSTANCE;
    }

    @PreDestroy
    @Override
    public void close() {
        sessions.close();
    }
}
