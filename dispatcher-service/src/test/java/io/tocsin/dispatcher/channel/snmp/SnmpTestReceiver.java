package io.tocsin.dispatcher.channel.snmp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.Snmp;
import org.snmp4j.mp.CounterSupport;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.StatusInformation;
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
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * A real SNMP4J notification receiver on 127.0.0.1 and a free port, built independently of the channel's own
 * sessions: it records every PDU its stack decodes and every counter its MPv3/USM increments (e.g.
 * {@code usmStatsWrongDigests}, proof that a message arrived but was not decoded), and can acknowledge INFORMs.
 */
final class SnmpTestReceiver implements AutoCloseable {

    /** One decoded notification: the PDU and who sent it (the community for v2c, the USM user for v3). */
    record Received(PDU pdu, int securityModel, int securityLevel, String securityName) {
    }

    /** This receiver's own engine id: authoritative for INFORMs sent to it. */
    static final OctetString RECEIVER_ENGINE_ID = new OctetString(MPv3.createLocalEngineID(new OctetString("test-receiver")));

    private final Snmp snmp;
    private final int port;
    private final boolean acknowledgeInforms;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final List<OID> counters = new CopyOnWriteArrayList<>();

    private SnmpTestReceiver(MessageDispatcherImpl dispatcher, boolean acknowledgeInforms) throws IOException {
        this.acknowledgeInforms = acknowledgeInforms;
        DefaultUdpTransportMapping transport = new DefaultUdpTransportMapping(new UdpAddress("127.0.0.1/0"));
        snmp = new Snmp(dispatcher, transport);
        snmp.addCommandResponder(this::onPdu);
        snmp.listen();
        port = transport.getListenAddress().getPort();
    }

    /** A v2c receiver (SNMP4J accepts any community; tests assert the one received). */
    static SnmpTestReceiver v2c(boolean acknowledgeInforms) throws IOException {
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        dispatcher.addMessageProcessingModel(new MPv2c());
        return new SnmpTestReceiver(dispatcher, acknowledgeInforms);
    }

    /**
     * An SNMPv3 receiver knowing {@code user} as net-snmp's {@code createUser -e <senderEngineId>} would (for
     * traps, whose authoritative engine is the sender) and under its own engine id (for INFORMs).
     */
    static SnmpTestReceiver v3(byte[] senderEngineId, UsmUser user, boolean acknowledgeInforms) throws IOException {
        SecurityProtocols protocols = new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.none);
        protocols.addAuthenticationProtocol(new AuthMD5());
        protocols.addAuthenticationProtocol(new AuthSHA());
        protocols.addAuthenticationProtocol(new AuthHMAC192SHA256());
        protocols.addAuthenticationProtocol(new AuthHMAC384SHA512());
        protocols.addPrivacyProtocol(new PrivDES());
        protocols.addPrivacyProtocol(new PrivAES128());
        protocols.addPrivacyProtocol(new PrivAES256());
        CounterSupport counterSupport = new CounterSupport();
        USM usm = new USM(protocols, RECEIVER_ENGINE_ID, 1, counterSupport);
        usm.addUser(user.getSecurityName(), new OctetString(senderEngineId), user);
        usm.addUser(user.getSecurityName(), RECEIVER_ENGINE_ID, user);
        MPv3 mpv3 = new MPv3(RECEIVER_ENGINE_ID.getValue(), null, protocols,
                SecurityModels.getCollection(new SecurityModel[] {usm}), counterSupport);
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        dispatcher.addMessageProcessingModel(mpv3);
        SnmpTestReceiver receiver = new SnmpTestReceiver(dispatcher, acknowledgeInforms);
        counterSupport.addCounterListener(event -> receiver.counters.add(event.getOid()));
        return receiver;
    }

    int port() {
        return port;
    }

    /** The next decoded notification, waiting up to 5 s; null when none came. */
    Received next() throws InterruptedException {
        return received.poll(5, TimeUnit.SECONDS);
    }

    /** Decoded notifications not yet taken. */
    List<Received> pending() {
        return List.copyOf(received);
    }

    /** Waits up to 5 s until the receiver's SNMP stack counted {@code counter}; whether it did. */
    boolean awaitCounter(OID counter) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (counters.contains(counter)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private void onPdu(CommandResponderEvent<?> event) {
        PDU pdu = event.getPDU();
        received.add(new Received(pdu, event.getSecurityModel(), event.getSecurityLevel(),
                new String(event.getSecurityName(), StandardCharsets.UTF_8)));
        if (acknowledgeInforms && pdu.getType() == PDU.INFORM) {
            PDU response = (PDU) pdu.clone();
            response.setType(PDU.RESPONSE);
            response.setErrorStatus(PDU.noError);
            response.setErrorIndex(0);
            try {
                event.getMessageDispatcher().returnResponsePdu(event.getMessageProcessingModel(), event.getSecurityModel(),
                        event.getSecurityName(), event.getSecurityLevel(), response, event.getMaxSizeResponsePDU(),
                        event.getStateReference(), new StatusInformation());
            } catch (Exception e) {
                throw new IllegalStateException("cannot acknowledge the INFORM", e);
            }
        }
        event.setProcessed(true);
    }

    @Override
    public void close() throws IOException {
        snmp.close();
    }
}
