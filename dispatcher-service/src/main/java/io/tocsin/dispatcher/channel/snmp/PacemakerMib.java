package io.tocsin.dispatcher.channel.snmp;

import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import java.util.List;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.VariableBinding;

/**
 * Varbinds compatible with Pacemaker's PACEMAKER-MIB ({@code doc/PCMK-MIB.txt}, IANA enterprise 32723), as its
 * {@code alert_snmp.sh} agent sends them: {@code pacemakerNotificationTrap} with the nine
 * {@code pacemakerNotification*} objects (named without an instance suffix, as {@code snmptrap} sends the
 * symbols) and {@code HOST-RESOURCES-MIB::hrSystemDate}. Receivers already set up for Pacemaker alerts (MIB
 * loaded, {@code snmptt} rules) then handle Tocsin's alarms without change.
 *
 * <p>An alarm is mapped as a failed monitor operation: node = alarm host, resource = alarm type, operation =
 * {@code monitor}, description = title, status 0 (done), return code 1 (generic error) while the alarm is open
 * and 0 (OK) when it ended, target return code 0. The attribute objects do not apply and carry the MIB's
 * not-applicable sentinels. Strings are truncated to the MIB's sizes; an empty value, which the MIB's
 * {@code SIZE (1..n)} forbids, is sent as the sentinel {@code n/a}.
 */
final class PacemakerMib {

    /** {@code pacemaker} = enterprises.32723. */
    static final OID ROOT = new OID("1.3.6.1.4.1.32723");
    /** {@code pacemakerNotificationTrap}. */
    static final OID NOTIFICATION_TRAP = new OID("1.3.6.1.4.1.32723.2.1");
    static final OID NODE = new OID("1.3.6.1.4.1.32723.1.1");
    static final OID RESOURCE = new OID("1.3.6.1.4.1.32723.1.2");
    static final OID OPERATION = new OID("1.3.6.1.4.1.32723.1.3");
    static final OID DESCRIPTION = new OID("1.3.6.1.4.1.32723.1.4");
    static final OID STATUS = new OID("1.3.6.1.4.1.32723.1.5");
    static final OID RETURN_CODE = new OID("1.3.6.1.4.1.32723.1.6");
    static final OID TARGET_RETURN_CODE = new OID("1.3.6.1.4.1.32723.1.7");
    static final OID ATTRIBUTE_NAME = new OID("1.3.6.1.4.1.32723.1.8");
    static final OID ATTRIBUTE_VALUE = new OID("1.3.6.1.4.1.32723.1.9");
    /** HOST-RESOURCES-MIB::hrSystemDate (RFC 2790), as alert_snmp.sh names it. */
    static final OID HR_SYSTEM_DATE = new OID("1.3.6.1.2.1.25.1.2");

    /**
     * The MIB's not-applicable sentinel for strings. (Its integer sentinel, 2147483647, is never needed: every
     * integer object has a value in this mapping.)
     */
    static final String NOT_APPLICABLE = "n/a";

    static final String OPERATION_MONITOR = "monitor";
    /** OCF return codes: 0 = success, 1 = generic error. */
    static final int RC_OK = 0;
    static final int RC_ERROR = 1;
    /** Pacemaker's execution status 0: the operation completed (PCMK_EXEC_DONE). */
    static final int STATUS_DONE = 0;

    private static final int SIZE_64 = 64;
    private static final int SIZE_256 = 256;

    private PacemakerMib() {
    }

    /** sysUpTime.0, snmpTrapOID.0 = pacemakerNotificationTrap, the nine objects, then hrSystemDate. */
    static List<VariableBinding> varbinds(AlarmEvent event, TimeTicks uptime) {
        boolean ended = event.getStatus() == AlarmEventStatus.ENDED;
        return List.of(
                new VariableBinding(SnmpConstants.sysUpTime, uptime),
                new VariableBinding(SnmpConstants.snmpTrapOID, NOTIFICATION_TRAP),
                new VariableBinding(NODE, text(event.getHostname(), SIZE_64)),
                new VariableBinding(RESOURCE, text(event.getType(), SIZE_256)),
                new VariableBinding(OPERATION, text(OPERATION_MONITOR, SIZE_64)),
                new VariableBinding(DESCRIPTION, text(event.getTitle(), SIZE_256)),
                new VariableBinding(STATUS, new Integer32(STATUS_DONE)),
                new VariableBinding(RETURN_CODE, new Integer32(ended ? RC_OK : RC_ERROR)),
                new VariableBinding(TARGET_RETURN_CODE, new Integer32(RC_OK)),
                new VariableBinding(ATTRIBUTE_NAME, text(NOT_APPLICABLE, SIZE_256)),
                new VariableBinding(ATTRIBUTE_VALUE, text(NOT_APPLICABLE, SIZE_256)),
                new VariableBinding(HR_SYSTEM_DATE, TocsinMib.dateAndTime(event.getEventTime())));
    }

    private static OctetString text(String value, int maxOctets) {
        return TocsinMib.utf8(value == null || value.isEmpty() ? NOT_APPLICABLE : value, maxOctets);
    }
}
