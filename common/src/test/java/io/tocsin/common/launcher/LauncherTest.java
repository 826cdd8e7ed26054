package io.tocsin.common.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tocsin.common.kafka.KafkaSettings;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's version arithmetic, its reading of the real main class from a jar manifest, and that it really is
 * compiled for Java 8 (what lets an old Java load it). The jars themselves under Java 17 and 25: TocsinLauncherIT
 * and ServiceJarsIT in the standalone module.
 */
class LauncherTest {

    @TempDir
    Path dir;

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
    void theLauncherClassFileIsJava8AndTheRestOfCommonIsNot() throws Exception {
        assertThat(classFileMajor(Launcher.class)).isEqualTo(52);
        assertThat(classFileMajor(KafkaSettings.class)).isEqualTo(44 + Launcher.REQUIRED);
    }

    @Test
    void theRealMainClassComesFromTheJarsManifest() throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Tocsin-Main-Class", " io.tocsin.rules.RulesApplication ");

        assertThat(Launcher.mainClassOf(jar("service.jar", manifest).toFile())).isEqualTo("io.tocsin.rules.RulesApplication");
    }

    @Test
    void aJarWithoutTheAttributeIsAPackagingDefectNamedAsSuch() throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        Path jar = jar("foreign.jar", manifest);

        assertThatThrownBy(() -> Launcher.mainClassOf(jar.toFile())).isInstanceOf(IllegalStateException.class)
                .hasMessage(jar + " has no Tocsin-Main-Class manifest attribute: it was not packaged by Tocsin's build"
                        + " (the parent POM's shade configuration)");
    }

    @Test
    void theOldJavaLineNamesTheJavaAndWhatToDo() {
        assertThat(Launcher.tooOld("17.0.12", "/usr/lib/jvm/java-17")).isEqualTo("Tocsin needs Java 25 or newer; this is Java"
                + " 17.0.12 (/usr/lib/jvm/java-17). Run this jar with a Java 25 (set JAVA_HOME to a JDK 25; bin/tocsin finds"
                + " one for the standalone).").doesNotContain("\n");
    }

    private Path jar(String name, Manifest manifest) throws Exception {
        Path jar = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            return jar;
        }
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
