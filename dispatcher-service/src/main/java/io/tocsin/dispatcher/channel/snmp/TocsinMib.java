package io.tocsin.dispatcher.channel.snmp;

import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.Severity;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * TOCSIN-MIB ({@code docs/TOCSIN-MIB.txt}): the notifications {@code tocsinAlarmRaised} (CREATED, and UPDATED
 * should the engine ever deliver one) and {@code tocsinAlarmCleared} (ENDED), each carrying the alarm in the
 * objects of {@link Field}, in that order, after {@code sysUpTime.0} and {@code snmpTrapOID.0} (RFC 3416 section
 * 4.2.6). Objects are sent as scalar instances ({@code .0}).
 *
 * <p>Tocsin has no IANA Private Enterprise Number of its own. {@link #ROOT} is 32473, the number IANA reserves
 * for documentation and examples (RFC 5612): it works, but is not unique to Tocsin. An operator who needs a
 * unique OID re-roots the MIB under their own enterprise number by changing {@link #ROOT} here and the
 * {@code tocsin} line of the MIB file; nothing else refers to the number.
 *
 * <p>Also the value encodings both layouts share ({@link PacemakerMib} too): UTF-8 strings cut to a size,
 * {@code DateAndTime}, {@code sysUpTime.0}.
 */
final class TocsinMib {

    /**
     * {@code tocsin}, the MODULE-IDENTITY: enterprises.32473 (RFC 5612 documentation PEN). The only place the root
     * is written; keep it under enterprises (1.3.6.1.4.1.N) when re-rooting, {@link #ENTERPRISE_NUMBER} is its N.
     */
    static final OID ROOT = new OID("1.3.6.1.4.1.32473");
    /** The enterprise number of {@link #ROOT}; derived SNMPv3 engine ids carry it ({@link SnmpSettings#derivedEngineId}). */
    static final int ENTERPRISE_NUMBER = ROOT.get(6);

    /** {@code tocsinAlarmMIB}. */
    static final OID MODULE = child(ROOT, 1);
    static final OID NOTIFICATIONS = child(MODULE, 0);
    static final OID OBJECTS = child(MODULE, 1);
    /** {@code tocsinAlarmRaised}. */
    static final OID ALARM_RAISED = child(NOTIFICATIONS, 1);
    /** {@code tocsinAlarmCleared}. */
    static final OID ALARM_CLEARED = child(NOTIFICATIONS, 2);

    /** Octet limits of the MIB's string types: SnmpAdminString (0..255) and TocsinLongText (0..1024). */
    static final int SHORT_TEXT = 255;
    static final int LONG_TEXT = 1024;

    /** RFC 3877 ITU-ALARM-TC-MIB {@code ItuPerceivedSeverity} values used here. */
    static final int SEVERITY_CLEARED = 1;
    static final int SEVERITY_CRITICAL = 3;
    static final int SEVERITY_WARNING = 6;

    /** The notification objects, in varbind order; {@code subId} is the arc under {@code tocsinAlarmObjects}. */
    enum Field {
        ALARM_KEY(1, "tocsinAlarmKey"),
        EVENT_ID(2, "tocsinAlarmEventId"),
        SEVERITY(3, "tocsinAlarmPerceivedSeverity"),
        CLUSTER(4, "tocsinAlarmCluster"),
        HOST(5, "tocsinAlarmHost"),
        COMPONENT(6, "tocsinAlarmComponent"),
        TYPE(7, "tocsinAlarmType"),
        TITLE(8, "tocsinAlarmTitle"),
        MESSAGE(9, "tocsinAlarmMessage"),
        RECOMMENDATION(10, "tocsinAlarmRecommendation"),
        SOURCE(11, "tocsinAlarmSource"),
        EVENT_TIME(12, "tocsinAlarmEventTime"),
        CATEGORIES(13, "tocsinAlarmCategories");

        final int subId;
        final String mibName;

        Field(int subId, String mibName) {
            this.subId = subId;
            this.mibName = mibName;
        }

        /** The object's OID, e.g. 1.3.6.1.4.1.32473.1.1.1 for tocsinAlarmKey. */
        OID oid() {
            return child(OBJECTS, subId);
        }

        /** The varbind name: the scalar instance, {@link #oid()} + {@code .0}. */
        OID instance() {
            return child(oid(), 0);
        }
    }

    private TocsinMib() {
    }

    /** The notification an event is sent as. */
    static OID notification(AlarmEvent event) {
        return event.getStatus() == AlarmEventStatus.ENDED ? ALARM_CLEARED : ALARM_RAISED;
    }

    /** ITU perceived severity: cleared for ENDED, else critical or warning from the alarm's severity. */
    static int perceivedSeverity(AlarmEvent event) {
        if (event.getStatus() == AlarmEventStatus.ENDED) {
            return SEVERITY_CLEARED;
        }
        return event.getSeverity() == Severity.CRITICAL ? SEVERITY_CRITICAL : SEVERITY_WARNING;
    }

    /** The complete varbind list: sysUpTime.0, snmpTrapOID.0, then every {@link Field}. */
    static List<VariableBinding> varbinds(AlarmEvent event, TimeTicks uptime) {
        List<VariableBinding> varbinds = new ArrayList<>(2 + Field.values().length);
        varbinds.add(new VariableBinding(SnmpConstants.sysUpTime, uptime));
        varbinds.add(new VariableBinding(SnmpConstants.snmpTrapOID, notification(event)));
        for (Field field : Field.values()) {
            varbinds.add(new VariableBinding(field.instance(), value(field, event)));
        }
        return varbinds;
    }

    private static Variable value(Field field, AlarmEvent event) {
        return switch (field) {
            case ALARM_KEY -> utf8(event.getAlarmKey(), SHORT_TEXT);
            case EVENT_ID -> utf8(event.getEventId(), SHORT_TEXT);
            case SEVERITY -> new Integer32(perceivedSeverity(event));
            case CLUSTER -> utf8(event.getCluster(), SHORT_TEXT);
            case HOST -> utf8(event.getHostname(), SHORT_TEXT);
            case COMPONENT -> utf8(event.getComponent(), SHORT_TEXT);
            case TYPE -> utf8(event.getType(), SHORT_TEXT);
            case TITLE -> utf8(event.getTitle(), SHORT_TEXT);
            case MESSAGE -> utf8(event.getMessage(), LONG_TEXT);
            case RECOMMENDATION -> utf8(event.getRecommendation(), LONG_TEXT);
            case SOURCE -> utf8(event.getSource(), SHORT_TEXT);
            case EVENT_TIME -> dateAndTime(event.getEventTime());
            case CATEGORIES -> utf8(String.join(",", event.getCategories()), SHORT_TEXT);
        };
    }

    /**
     * {@code text} as a UTF-8 OCTET STRING of at most {@code maxOctets} octets, cut at a character boundary so a
     * receiver never sees half a character (SnmpAdminString, RFC 3411, is UTF-8 and so are our MIB's strings).
     */
    static OctetString utf8(String text, int maxOctets) {
        byte[] bytes = (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxOctets) {
            return new OctetString(bytes);
        }
        int end = maxOctets;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--; // bytes[end] continues the character that starts before it: cut before that character
        }
        return new OctetString(Arrays.copyOf(bytes, end));
    }

    /**
     * {@code instant} as an 11-octet SNMPv2-TC {@code DateAndTime} in UTC (RFC 2579): year in two octets
     * (network order), month, day, hour, minutes, seconds, deci-seconds, then {@code '+'}, 0 hours and 0 minutes
     * from UTC. The explicit zone makes the value unambiguous, which the 8-octet local-time form is not.
     */
    static OctetString dateAndTime(Instant instant) {
        ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
        int year = utc.getYear();
        return new OctetString(new byte[] {
            (byte) (year >>> 8), (byte) year,
            (byte) utc.getMonthValue(), (byte) utc.getDayOfMonth(),
            (byte) utc.getHour(), (byte) utc.getMinute(), (byte) utc.getSecond(),
            (byte) (utc.getNano() / 100_000_000),
            (byte) '+', 0, 0
        });
    }

    /**
     * {@code sysUpTime.0}: how long this process has run, in hundredths of a second, modulo 2^32 as TimeTicks
     * wrap (RFC 2578). The notification originator is this process, so its uptime is what RFC 3416 asks for.
     */
    static TimeTicks processUptime() {
        long centiseconds = ManagementFactory.getRuntimeMXBean().getUptime() / 10;
        return new TimeTicks(centiseconds & 0xFFFF_FFFFL);
    }

    static OID child(OID parent, int subId) {
        return new OID(parent).append(subId);
    }
}
