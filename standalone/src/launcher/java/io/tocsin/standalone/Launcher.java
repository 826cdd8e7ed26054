package io.tocsin.standalone;

/**
 * The standalone jar's {@code Main-Class}: checks the Java version before anything that needs Java 25 is loaded.
 *
 * <p>Why it exists: {@code java -jar tocsin-standalone.jar} on an older Java would otherwise die with an
 * {@code UnsupportedClassVersionError} stack trace that does not say what to do. This class alone is compiled for
 * Java 8 (a separate {@code maven-compiler-plugin} execution in {@code standalone/pom.xml}, from
 * {@code src/launcher/java}), so any Java from 8 on can load it and print one plain line instead.
 *
 * <p>Error contract: on a Java older than {@value #REQUIRED} it prints exactly one line on stderr naming the
 * running Java's version and home and exits with status 1; nothing else of Tocsin is loaded. On Java
 * {@value #REQUIRED} or newer it calls {@link Standalone#main(String[])} directly (a plain static call, no
 * reflection: the JVM resolves {@code Standalone} only when that call is reached, so an old Java never tries to
 * load it) and everything Standalone throws propagates unchanged.
 */
public final class Launcher {

    /** The Java feature release Tocsin is compiled for ({@code release.version} in the parent POM). */
    static final int REQUIRED = 25;

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        int running = feature(System.getProperty("java.specification.version"));
        if (running < REQUIRED) {
            System.err.println("Tocsin needs Java " + REQUIRED + " or newer; this is Java "
                    + System.getProperty("java.version") + " (" + System.getProperty("java.home")
                    + "). Use bin/tocsin or set JAVA_HOME to a JDK " + REQUIRED + ".");
            System.exit(1);
            return;
        }
        Standalone.main(args);
    }

    /**
     * The feature release of a {@code java.specification.version}: {@code "1.8"} is 8, {@code "17"} is 17. An
     * unreadable value counts as new enough: the check exists to explain old Javas, not to refuse unknown ones.
     */
    static int feature(String specificationVersion) {
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
