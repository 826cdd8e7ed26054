package io.tocsin.dispatcher.channel.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.snmp4j.smi.OctetString;

/** The published MIB file and the code agree; value encodings are exact. */
class TocsinMibTest {

    private static final Path MIB = Path.of("..", "docs", "TOCSIN-MIB.txt");
    /** Any text up to the definition's "::=", without running into the next definition. */
    private static final String WITHIN_ONE_DEFINITION = "(?:(?!::=)[\\s\\S])*";

    @Test
    void theMibFileDeclaresTheRootAndEveryObjectWhereTheCodeSendsThem() throws Exception {
        String mib = Files.readString(MIB);

        assertThat(mib).contains("tocsin MODULE-IDENTITY").containsPattern("::= \\{ enterprises 32473 \\}");
        assertThat(TocsinMib.ROOT.toDottedString()).isEqualTo("1.3.6.1.4.1.32473");
        assertThat(TocsinMib.ALARM_RAISED.toDottedString()).isEqualTo("1.3.6.1.4.1.32473.1.0.1");
        assertThat(mib).containsPattern("tocsinAlarmRaised NOTIFICATION-TYPE" + WITHIN_ONE_DEFINITION + "::= \\{ tocsinAlarmNotifications 1 \\}");
        assertThat(TocsinMib.ALARM_CLEARED.toDottedString()).isEqualTo("1.3.6.1.4.1.32473.1.0.2");
        assertThat(mib).containsPattern("tocsinAlarmCleared NOTIFICATION-TYPE" + WITHIN_ONE_DEFINITION + "::= \\{ tocsinAlarmNotifications 2 \\}");
        for (TocsinMib.Field field : TocsinMib.Field.values()) {
            assertThat(mib).containsPattern(field.mibName + " OBJECT-TYPE" + WITHIN_ONE_DEFINITION + "::= \\{ tocsinAlarmObjects " + field.subId + " \\}");
            assertThat(field.instance().toDottedString()).isEqualTo("1.3.6.1.4.1.32473.1.1." + field.subId + ".0");
        }
    }

    @Test
    void bothNotificationsListTheObjectsInTheOrderTheyAreSent() throws Exception {
        String mib = Files.readString(MIB);
        List<String> sent = Arrays.stream(TocsinMib.Field.values()).map(field -> field.mibName).toList();

        Matcher notification = Pattern.compile("NOTIFICATION-TYPE\\s+OBJECTS \\{([^}]*)\\}").matcher(mib);
        int found = 0;
        while (notification.find()) {
            assertThat(Arrays.stream(notification.group(1).split(",")).map(String::strip).toList()).isEqualTo(sent);
            found++;
        }
        assertThat(found).isEqualTo(2);
    }

    @Test
    void dateAndTimeIsTheElevenOctetUtcForm() {
        OctetString value = TocsinMib.dateAndTime(Instant.parse("2025-12-31T23:59:59.987Z"));

        assertThat(value.getValue()).containsExactly(0x07, 0xE9, 12, 31, 23, 59, 59, 9, '+', 0, 0);
    }

    @Test
    void utf8StringsAreCutOnACharacterBoundary() {
        assertThat(TocsinMib.utf8("aé€", 6).getValue()).isEqualTo("aé€".getBytes(StandardCharsets.UTF_8));
        assertThat(TocsinMib.utf8("aé€", 5).getValue()).isEqualTo("aé".getBytes(StandardCharsets.UTF_8));
        assertThat(TocsinMib.utf8("aé€", 2).getValue()).isEqualTo("a".getBytes(StandardCharsets.UTF_8));
        assertThat(TocsinMib.utf8(null, 2).getValue()).isEmpty();
    }
}
