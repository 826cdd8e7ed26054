package io.tocsin.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.common.launcher.Launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's commands on a machine whose {@code java} is older than 25, as real processes: the built jar under
 * an old Java, {@code bin/tocsin} (and {@code bin/find-jdk} beneath it) with {@code JAVA_HOME} unset or old and an
 * old {@code java} first on {@code PATH}, and {@code ./mvnw}'s choice of JDK. Needs a Java older than 25 under
 * {@code /usr/lib/jvm} (Debian: {@code openjdk-17-jre-headless}); without one the tests fail saying so.
 */
class TocsinLauncherIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path JAR = Path.of(System.getProperty("tocsin.standalone.jar", "target/tocsin-standalone.jar")).toAbsolutePath();
    private static final Pattern VERSION_LINE = Pattern.compile("Tocsin \\S+ on Java (\\d+)\\S* \\((.+)\\)");

    /** A Java older than 25 (the machine's default java here is 17) and this test's own JDK 25. */
    private static Path oldJava;
    private static String oldVersion;
    private static final Path CURRENT_JAVA = Path.of(System.getProperty("java.home"));

    @TempDir
    Path dir;

    @BeforeAll
    static void findOldJava() throws IOException {
        try (DirectoryStream<Path> homes = Files.newDirectoryStream(Path.of("/usr/lib/jvm"))) {
            for (Path home : homes) {
                Optional<String> version = releaseVersion(home);
                if (version.isPresent() && Launcher.feature(version.get()) < Launcher.REQUIRED
                        && Files.isExecutable(home.resolve("bin/java"))) {
                    oldJava = home;
                    oldVersion = version.get();
                    return;
                }
            }
        }
        throw new IllegalStateException("These tests need a Java older than 25 under /usr/lib/jvm (e.g. openjdk-17-jre-headless)");
    }

    /**
     * The standalone's and each service's shaded jar (all started through common's Launcher) print the same one
     * line on an old Java; that they start normally on Java 25: StandaloneJarIT and ServiceJarsIT.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"standalone", "collector-service", "rules-service", "dispatcher-service", "cloud-service"})
    void eachJarOnAnOldJavaPrintsOneLineNamingJava25(String module) throws Exception {
        Path jar = module.equals("standalone") ? JAR : ROOT.resolve(module + "/target/tocsin-" + module + ".jar");
        assertThat(jar).exists();
        Result result = run(List.of(oldJava.resolve("bin/java").toString(), "-jar", jar.toString(), "--version"), Map.of());

        assertThat(result.exit).isEqualTo(1);
        assertThat(result.stdout).isEmpty();
        assertThat(result.stderr.lines()).singleElement().asString()
                .startsWith("Tocsin needs Java 25 or newer; this is Java " + oldVersion + " (")
                .endsWith("Run this jar with a Java 25 (set JAVA_HOME to a JDK 25; bin/tocsin finds one for the standalone).")
                .doesNotContain("Exception", "Error");
    }

    @Test
    void binTocsinFindsAJdk25InTheUsualPlacesWhenJavaHomeIsUnsetAndPathsJavaIsOld() throws Exception {
        Result result = run(List.of("sh", ROOT.resolve("bin/tocsin").toString(), "--version"), Map.of());

        assertThat(result.exit).as("stderr: %s", result.stderr).isZero();
        Matcher version = versionLine(result.stdout);
        assertThat(Integer.parseInt(version.group(1))).isGreaterThanOrEqualTo(25);
        assertThat(version.group(2)).doesNotContain(oldJava.toString());
    }

    @Test
    void anOldJavaHomeIsPassedOverAndTheNewestInstalledJdkIsChosen() throws Exception {
        Path jdks = Files.createDirectories(dir.resolve("jdks"));
        Files.createSymbolicLink(jdks.resolve("jdk-old"), oldJava);
        Files.createSymbolicLink(jdks.resolve("jdk-current"), CURRENT_JAVA);
        Files.createDirectories(jdks.resolve("not-a-jdk"));

        Result result = run(List.of("sh", ROOT.resolve("bin/tocsin").toString(), "--version"),
                Map.of("JAVA_HOME", oldJava.toString(), "TOCSIN_JDK_SEARCH_PATH", dir.resolve("nothing") + "/*:" + jdks + "/*"));

        assertThat(result.exit).as("stderr: %s", result.stderr).isZero();
        assertThat(versionLine(result.stdout).group(2)).isEqualTo(CURRENT_JAVA.toRealPath().toString());
    }

    @Test
    void withNoJdk25AnywhereBinTocsinSaysSoInOneSentence() throws Exception {
        Path jdks = Files.createDirectories(dir.resolve("jdks"));
        Files.createSymbolicLink(jdks.resolve("jdk-old"), oldJava);

        Result result = run(List.of("sh", ROOT.resolve("bin/tocsin").toString(), "--version"),
                Map.of("TOCSIN_JDK_SEARCH_PATH", jdks + "/*"));

        assertThat(result.exit).isEqualTo(1);
        assertThat(result.stdout).isEmpty();
        assertThat(result.stderr.lines()).singleElement().asString()
                .startsWith("Tocsin needs a Java 25 or newer and found none: JAVA_HOME is unset, java on PATH is Java " + oldVersion)
                .contains("there is none under " + jdks + "/*;", "set JAVA_HOME");
    }

    @Test
    void aMissingJarIsOneSentenceNamingTheBuildCommand() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("checkout/bin"));
        Files.copy(ROOT.resolve("bin/tocsin"), bin.resolve("tocsin"));
        Files.copy(ROOT.resolve("bin/find-jdk"), bin.resolve("find-jdk"));

        Result result = run(List.of("sh", bin.resolve("tocsin").toString()), Map.of("JAVA_HOME", CURRENT_JAVA.toString()));

        assertThat(result.exit).isEqualTo(1);
        assertThat(result.stderr.lines()).singleElement().asString()
                .contains(dir.resolve("checkout/standalone/target/tocsin-standalone.jar").toString(), "./mvnw -B -ntp package -DskipTests");
    }

    @Test
    void javaOptionsAreSplitOnBlanksWithoutGlobbing() throws Exception {
        Result result = run(List.of("sh", ROOT.resolve("bin/tocsin").toString(), "--version"),
                Map.of("JAVA_HOME", CURRENT_JAVA.toString(), "TOCSIN_JAVA_OPTS", "-Dtocsin.probe=* -XshowSettings:properties"));

        assertThat(result.exit).as("stderr: %s", result.stderr).isZero();
        assertThat(result.stderr).contains("tocsin.probe = *");
        versionLine(result.stdout);
    }

    @Test
    void theMavenWrapperPicksTheJdk25TooAndOtherwiseSaysWhatIsMissing() throws Exception {
        Result found = run(List.of("sh", ROOT.resolve("mvnw").toString(), "-v"), Map.of());
        assertThat(found.exit).as("stderr: %s", found.stderr).isZero();
        assertThat(found.stdout).containsPattern("Java version: 2[5-9]|Java version: [3-9][0-9]");

        Result none = run(List.of("sh", ROOT.resolve("mvnw").toString(), "-v"), Map.of("TOCSIN_JDK_SEARCH_PATH", ""));
        assertThat(none.exit).isEqualTo(1);
        assertThat(none.stderr.lines()).singleElement().asString()
                .startsWith("Tocsin needs a JDK 25 or newer (java and javac) and found none: JAVA_HOME is unset, java on PATH is Java " + oldVersion);
    }

    private static Matcher versionLine(String stdout) {
        Matcher matcher = VERSION_LINE.matcher(stdout.strip());
        assertThat(matcher.matches()).as("version line, got: %s", stdout).isTrue();
        return matcher;
    }

    private static Optional<String> releaseVersion(Path home) throws IOException {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return Optional.empty();
        }
        return Files.readAllLines(release).stream().filter(line -> line.startsWith("JAVA_VERSION=\""))
                .map(line -> line.substring("JAVA_VERSION=\"".length(), line.lastIndexOf('"'))).findFirst();
    }

    record Result(int exit, String stdout, String stderr) {
    }

    /**
     * Runs {@code command} as a user on this machine would with an old Java: no JAVA_HOME, an old {@code java}
     * first on PATH, no JVM option variables (they would add "Picked up ..." lines); {@code env} adds to that.
     */
    private Result run(List<String> command, Map<String, String> env) throws Exception {
        Path pathBin = Files.createDirectories(dir.resolve("path-bin"));
        if (!Files.exists(pathBin.resolve("java"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(pathBin.resolve("java"), oldJava.resolve("bin/java"));
        }
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> environment = builder.environment();
        for (String name : List.of("JAVA_HOME", "TOCSIN_JDK_SEARCH_PATH", "TOCSIN_JAVA_OPTS", "JAVA_TOOL_OPTIONS",
                "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "MAVEN_OPTS", "MAVEN_ARGS", "MVNW_VERBOSE")) {
            environment.remove(name);
        }
        environment.put("PATH", pathBin + ":/usr/local/bin:/usr/bin:/bin");
        environment.putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finishes within 60 s", command).isTrue();
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
