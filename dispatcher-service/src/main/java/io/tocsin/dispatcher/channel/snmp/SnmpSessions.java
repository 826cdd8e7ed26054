package io.tocsin.dispatcher.channel.snmp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.Snmp;
import org.snmp4j.mp.CounterSupport;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.MessageProcessingModel;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.AuthHMAC384SHA512;
import org.snmp4j.security.AuthMD5;
import org.snmp4j.security.AuthSHA;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.PrivAES256;
import org.snmp4j.security.PrivDES;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * The SNMP4J sessions of the SNMP channel: one shared v2c session, and one session per SNMPv3 integration.
 * Each session is an {@link Snmp} on its own {@link DefaultUdpTransportMapping} (an ephemeral UDP port, listened
 * on for INFORM acknowledgements), created on first use and closed by {@link #close()}. {@link Snmp} is
 * thread-safe, so each session serves concurrent sends.
 *
 * <p>Why SNMPv3 cannot share one session: a trap's authoritative engine is its sender, and SNMP4J (checked in
 * 3.13.1's {@code MPv3.prepareOutgoingMessage}) always puts its {@link MPv3}'s single local engine id in
 * {@code msgAuthoritativeEngineID} of an unconfirmed PDU, even for a {@code DirectUserTarget}. Each integration
 * has its own engine id ({@code engine-id}, or one derived from its name), so each gets its own {@link MPv3}
 * with its own {@link USM} (in its own {@link SecurityModels}, not SNMP4J's global one) holding the
 * integration's {@link UsmUser}. Sessions are cached by integration id and rebuilt only when its USM settings
 * change; an integration that is deleted keeps its socket until shutdown.
 *
 * <p>Engine boots and time (RFC 3414 section 2.2): a receiver drops messages whose engine boots went down, or
 * whose engine time went back more than 150 s, for the same boots. Tocsin keeps no boot counter, and several
 * dispatcher replicas send under the same derived engine id, so the engine time is the wall-clock seconds since
 * 2020-01-01 with boots fixed at 1: it never goes back across restarts and replicas agree on it (given NTP).
 */
final class SnmpSessions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SnmpSessions.class);

    static final int ENGINE_BOOTS = 1;
    static final Instant ENGINE_TIME_ORIGIN = Instant.parse("2020-01-01T00:00:00Z");

    /**
     * Only the protocols the channel offers. A private instance: SNMP4J's global one lacks MD5 and SHA-1 by
     * default, and changing it would change every other SNMP4J user in the process.
     */
    static final SecurityProtocols PROTOCOLS = protocols();

    private final Object lock = new Object();
    private Snmp communitySession; // guarded by lock
    private volatile boolean closed;
    private final Map<String, UsmSession> usmSessions = new ConcurrentHashMap<>();

    /** The shared v2c session. */
    Snmp community() throws IOException {
        synchronized (lock) {
            if (closed) {
                throw new IOException("the SNMP channel is shut down");
            }
            if (communitySession == null) {
                communitySession = open(new MPv2c());
            }
            return communitySession;
        }
    }

    /**
     * The SNMPv3 session of an integration, built with its engine id and user on first use or after its USM
     * settings changed. Logs the engine id at INFO when it builds one: receivers need it ({@code createUser -e}).
     */
    Snmp usm(String integrationId, String integrationName, SnmpSettings.UsmSettings settings) throws IOException {
        try {
            return usmSessions.compute(integrationId, (id, existing) -> {
                if (closed) {
                    throw new UncheckedIOException(new IOException("the SNMP channel is shut down"));
                }
                if (existing != null && existing.settings().equals(settings)) {
                    return existing;
                }
                if (existing != null) {
                    closeQuietly(existing.snmp());
                }
                try {
                    UsmSession created = new UsmSession(settings, openUsm(settings));
                    LOG.info("SNMP integration {} sends SNMPv3 as engine id 0x{}, user {} ({}); a receiver needs: "
                                    + "createUser -e 0x{} {} ...", integrationName, settings.engineId(),
                            settings.securityName(), settings.level().setting, settings.engineId(), settings.securityName());
                    return created;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).snmp();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static Snmp openUsm(SnmpSettings.UsmSettings settings) throws IOException {
        byte[] engineId = settings.engineIdBytes();
        OctetString localEngine = new OctetString(engineId);
        USM usm = new USM(PROTOCOLS, localEngine, ENGINE_BOOTS);
        usm.setLocalEngine(localEngine, ENGINE_BOOTS, engineTime(Instant.now()));
        // Traps: the sender is authoritative, so the user is added under the local engine id (keys localized for
        // it, as the receiver's createUser -e has them). INFORMs: the receiver is authoritative; SNMP4J discovers its
        // engine id and localizes the user added without an engine id for it (RFC 3414 section 4).
        UsmUser user = user(settings);
        usm.addUser(user.getSecurityName(), localEngine, user);
        usm.addUser(user);
        MPv3 mpv3 = new MPv3(engineId, null, PROTOCOLS, SecurityModels.getCollection(new SecurityModel[] {usm}),
                CounterSupport.getInstance());
        return open(mpv3);
    }

    /** The USM user of the settings: pass phrases, not localized keys, so SNMP4J can localize per engine. */
    static UsmUser user(SnmpSettings.UsmSettings settings) {
        OctetString name = new OctetString(settings.securityName());
        if (!settings.level().authenticates()) {
            return new UsmUser(name, null, null, null, null);
        }
        OID auth = authProtocol(settings.auth());
        OctetString authPassword = new OctetString(settings.authPassword());
        if (settings.level() != SnmpSettings.Level.AUTH_PRIV) {
            return new UsmUser(name, auth, authPassword, null, null);
        }
        return new UsmUser(name, auth, authPassword, privProtocol(settings.priv()), new OctetString(settings.privPassword()));
    }

    static OID authProtocol(SnmpSettings.AuthProtocol protocol) {
        return switch (protocol) {
            case MD5 -> AuthMD5.ID;
            case SHA -> AuthSHA.ID;
            case SHA_256 -> AuthHMAC192SHA256.ID;
            case SHA_512 -> AuthHMAC384SHA512.ID;
        };
    }

    static OID privProtocol(SnmpSettings.PrivProtocol protocol) {
        return switch (protocol) {
            case DES -> PrivDES.ID;
            case AES -> PrivAES128.ID;
            case AES_256 -> PrivAES256.ID;
        };
    }

    /** Engine time: seconds since {@link #ENGINE_TIME_ORIGIN} (see the class comment). */
    static int engineTime(Instant now) {
        long seconds = Duration.between(ENGINE_TIME_ORIGIN, now).toSeconds();
        return (int) Math.clamp(seconds, 0, Integer.MAX_VALUE);
    }

    private static Snmp open(MessageProcessingModel model) throws IOException {
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        dispatcher.addMessageProcessingModel(model);
        DefaultUdpTransportMapping transport = new DefaultUdpTransportMapping();
        Snmp snmp = new Snmp(dispatcher, transport);
        try {
            snmp.listen(); // INFORM acknowledgements and SNMPv3 reports come back to this port
        } catch (IOException e) {
            closeQuietly(snmp);
            throw e;
        }
        return snmp;
    }

    private static SecurityProtocols protocols() {
        SecurityProtocols protocols = new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.none);
        protocols.addAuthenticationProtocol(new AuthMD5());
        protocols.addAuthenticationProtocol(new AuthSHA());
        protocols.addAuthenticationProtocol(new AuthHMAC192SHA256());
        protocols.addAuthenticationProtocol(new AuthHMAC384SHA512());
        protocols.addPrivacyProtocol(new PrivDES());
        protocols.addPrivacyProtocol(new PrivAES128());
        protocols.addPrivacyProtocol(new PrivAES256());
        return protocols;
    }

    private static void closeQuietly(Snmp snmp) {
        try {
            snmp.close();
        } catch (IOException e) {
            LOG.debug("closing an SNMP session failed: {}", e.getClass().getSimpleName());
        }
    }

    /** Closes every session; later sends fail with an IOException. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (communitySession != null) {
                closeQuietly(communitySession);
                communitySession = null;
            }
        }
        // Per key and atomic with usm(): a session being built now either lands before this and is closed here,
        // or sees the closed flag and is not built.
        usmSessions.keySet().forEach(id -> usmSessions.computeIfPresent(id, (key, session) -> {
            closeQuietly(session.snmp());
            return null;
        }));
    }

    private record UsmSession(SnmpSettings.UsmSettings settings, Snmp snmp) {
    }
}
