package io.tocsin.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The launcher's version arithmetic, and that it really is compiled for Java 8 (what lets an old Java load it). */
class LauncherTest {

    @Test
    void readsTheFeatureReleaseOfOldAndNewVersionStrings() {
        assertThat(Launcher.feature("1.8")).isEqualTo(8);
        assertThat(Launcher.feature("17")).isEqualTo(17);
        assertThat(Launcher.feature("25")).isEqualTo(25);
        assertThat(Launcher.feature("26-ea")).isEqualTo(26);
        // Unreadable counts as new enough: the check explains old Javas, it does not refuse unknown ones.
        assertThat(Launcher.feature(null)).isGreaterThanOrEqualTo(Launcher.REQUIRED);
        assertThat(Launcher.feature("")).isGreaterThanOrEqualTo(Launcher.REQUIRED);
        assertThat(Launcher.feature("99999999999")).isGreaterThanOrEqualTo(Launcher.REQUIRED);
    }

    @Test
    void theLauncherClassFileIsJava8AndStandaloneIsNot() throws Exception {
        assertThat(classFileMajor(Launcher.class)).isEqualTo(52);
        assertThat(classFileMajor(Standalone.class)).isEqualTo(44 + Launcher.REQUIRED);
    }

    private static int classFileMajor(Class<?> type) throws Exception {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class");
             DataInputStream data = new DataInputStream(in)) {
            assertThat(data.readInt()).isEqualTo(0xCAFEBABE);
            data.readUnsignedShort(); // minor
            return data.readUnsignedShort();
        }
    }
}
