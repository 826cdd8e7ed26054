package io.tocsin.common.launcher;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.security.CodeSource;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The {@code Main-Class} of every Tocsin jar (the four services and the standalone): checks the Java version
 * before anything that needs Java 25 is loaded, then hands over to the jar's real main class.
 *
 * <p>Why it exists: {@code java -jar tocsin-rules-service.jar} on an older Java would otherwise die with an
 * {@code UnsupportedClassVersionError} stack trace that does not say what to do. This class alone is compiled for
 * Java 8 (the {@code compile-launcher} execution in {@code common/pom.xml}, from {@code src/launcher/java}), so
 * any Java from 8 on can load it and print one plain line instead. It lives in common, which every jar shades in,
 * and the parent POM's shade configuration makes it the {@code Main-Class} of each jar and writes the module's
 * {@code exec.mainClass} into the {@value #MAIN_CLASS_ATTRIBUTE} manifest attribute: one launcher, no copies.
 *
 * <p>Error contract: on a Java older than {@value #REQUIRED} it prints exactly one line on stderr naming the
 * running Java's version and home and exits with status 1; nothing else of Tocsin is loaded. On Java
 * {@value #REQUIRED} or newer it calls the {@code main(String[])} of the class named by the jar's
 * {@value #MAIN_CLASS_ATTRIBUTE} attribute, and whatever that method throws propagates unchanged (unwrapped from
 * reflection). A jar without that attribute, or a launcher not loaded from a jar, is a packaging defect and
 * fails with an {@link IllegalStateException} saying so.
 */
public final class Launcher {

    /** The Java feature release Tocsin is compiled for ({@code release.version} in the parent POM). */
    public static final int REQUIRED = 25;

    /** The manifest attribute naming the class whose {@code main} the launcher calls. */
    static final String MAIN_CLASS_ATTRIBUTE = "Tocsin-Main-Class";

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        int running = feature(System.getProperty("java.specification.version"));
        if (running < REQUIRED) {
            System.err.println(tooOld(System.getProperty("java.version"), System.getProperty("java.home")));
            System.exit(1);
            return;
        }
        Method main = Class.forName(mainClassOf(ownJar()), true, Launcher.class.getClassLoader())
                .getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) { // the real main's own failure: rethrown as it was thrown
            Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw e;
        }
    }

    /** The one line printed on a too-old Java. */
    static String tooOld(String javaVersion, String javaHome) {
        return "Tocsin needs Java " + REQUIRED + " or newer; this is Java " + javaVersion + " (" + javaHome
                + "). Run this jar with a Java " + REQUIRED + " (set JAVA_HOME to a JDK " + REQUIRED
                + "; bin/tocsin finds one for the standalone).";
    }

    /**
     * The class named by {@value #MAIN_CLASS_ATTRIBUTE} in the manifest of {@code jar}.
     *
     * @throws IllegalStateException when the jar has no manifest or no such attribute (a packaging defect)
     * @throws IOException when the jar cannot be read
     */
    static String mainClassOf(File jar) throws IOException {
        JarFile file = new JarFile(jar);
        try {
            Manifest manifest = file.getManifest();
            String name = manifest == null ? null : manifest.getMainAttributes().getValue(new Attributes.Name(MAIN_CLASS_ATTRIBUTE));
            if (name == null || name.trim().isEmpty()) {
                throw new IllegalStateException(jar + " has no " + MAIN_CLASS_ATTRIBUTE
                        + " manifest attribute: it was not packaged by Tocsin's build (the parent POM's shade configuration)");
            }
            return name.trim();
        } finally {
            file.close();
        }
    }

    /** The jar this class was loaded from; the manifest there names the real main class. */
    private static File ownJar() throws URISyntaxException {
        CodeSource source = Launcher.class.getProtectionDomain().getCodeSource();
        URL location = source == null ? null : source.getLocation();
        File file = location == null ? null : new File(location.toURI());
        if (file == null || !file.isFile()) {
            throw new IllegalStateException("The launcher runs only as the Main-Class of a Tocsin jar; it was loaded from "
                    + file + ". Run the module's main class (exec.mainClass in its pom.xml) instead.");
        }
        return file;
    }

    /**
     * The feature release of a {@code java.specification.version}: {@code "1.8"} is 8, {@code "17"} is 17. An
     * unreadable value counts as new enough: the check exists to explain old Javas, not to refuse unknown ones.
     */
    public static int feature(String specificationVersion) {
        String version = specificationVersion == null ? "" : specificationVersion.trim();
        if (version.startsWith("1.")) {
            version = version.substring(2);
        }
        int end = 0;
        while (end < version.length() && Character.isDigit(version.charAt(end))) {
            end++;
        }
        if (end == 0) {
            return Integer.MAX_VALUE;
        }
        try {
            return Integer.parseInt(version.substring(0, end));
        } catch (NumberFormatException e) { // more digits than an int: certainly not an old Java
            return Integer.MAX_VALUE;
        }
    }
}
