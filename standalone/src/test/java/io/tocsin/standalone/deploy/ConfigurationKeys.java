package io.tocsin.standalone.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration keys a Tocsin service reads, taken from the code rather than from the documentation, so
 * that a key the code does not read can never pass for a setting:
 * <ul>
 *   <li>the configuration metadata Micronaut's annotation processor writes at compile time for every
 *       {@code @ConfigurationProperties} and {@code @EachProperty} record ({@code META-INF/spring-configuration-metadata.json}
 *       of the service's module and of {@code common}, found on the test class path): exact keys, {@code *} for
 *       {@code @EachProperty} names, and families under {@code Map} properties ({@code tocsin.kafka.properties.*});</li>
 *   <li>the keys the same modules' sources read outside such records: {@code @Value("${tocsin...}")},
 *       {@code getProperty("tocsin...")} and {@code @Requires(property = "tocsin...")} literals.</li>
 * </ul>
 * docs/CONFIGURATION.md's tables were the alternative; they are prose a person keeps up to date, so a row that
 * names a key the code never reads would let a wrong variable pass. The tests still check that every key used
 * in docker-compose.yml is documented there.
 *
 * <p>Error contract: {@link #of} fails the calling test when {@code common}'s metadata is not on the class path
 * (the check would otherwise have nothing to compare with); {@link #keyFor} never throws.
 */
final class ConfigurationKeys {

    private static final String METADATA = "META-INF/spring-configuration-metadata.json";
    private static final Pattern SOURCE_KEY = Pattern.compile(
            "(?:\\$\\{|getProperty\\(\\s*\"|@Requires\\(\\s*property\\s*=\\s*\")(tocsin\\.[a-z0-9.-]*[a-z0-9])");

    private final Set<String> exact;
    private final List<Pattern> families;

    private ConfigurationKeys(Set<String> exact, List<Pattern> families) {
        this.exact = Collections.unmodifiableSet(exact);
        this.families = List.copyOf(families);
    }

    /** The keys of {@code module} (e.g. {@code dispatcher-service}) together with {@code common}'s. */
    static ConfigurationKeys of(String module) {
        Set<String> exact = new TreeSet<>();
        List<Pattern> families = new ArrayList<>();
        boolean commonFound = false;
        try {
            for (URL url : Collections.list(ConfigurationKeys.class.getClassLoader().getResources(METADATA))) {
                boolean common = belongsTo(url, "common");
                if (common || belongsTo(url, module)) {
                    commonFound |= common;
                    readMetadata(url, exact, families);
                }
            }
            for (String dir : List.of("common", module)) {
                readSources(ComposeFile.ROOT.resolve(dir).resolve("src/main/java"), exact);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(commonFound).as("%s of the common module on the test class path", METADATA).isTrue();
        return new ConfigurationKeys(exact, families);
    }

    /** Every exact key (for failure messages). */
    Set<String> exactKeys() {
        return exact;
    }

    /**
     * The key an environment variable sets, by Micronaut's rule: the variable's name is the key in upper case with
     * {@code .} and {@code -} written {@code _}. An exact key wins over a family ({@code tocsin.kafka.properties.*},
     * {@code tocsin.collector.probes.*.host}), for which the variable itself is returned, lower case.
     */
    Optional<String> keyFor(String variable) {
        for (String key : exact) {
            if (variableOf(key).equals(variable)) {
                return Optional.of(key);
            }
        }
        return families.stream().anyMatch(family -> family.matcher(variable).matches())
                ? Optional.of(variable.toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    /** Whether {@code key} is one of the exact keys (not a member of a family). */
    boolean isExact(String key) {
        return exact.contains(key);
    }

    /** {@code tocsin.kafka.bootstrap-servers} as {@code TOCSIN_KAFKA_BOOTSTRAP_SERVERS}. */
    static String variableOf(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** In a module's {@code target/classes} or its jar ({@code tocsin-<module>-<version>.jar}). */
    private static boolean belongsTo(URL url, String module) {
        String path = url.toString();
        return path.contains("/" + module + "/target/classes/") || path.contains("/tocsin-" + module + "-")
                || path.contains("/tocsin-" + module + "/");
    }

    private static void readMetadata(URL url, Set<String> exact, List<Pattern> families) throws IOException {
        JsonNode metadata;
        try (InputStream in = url.openStream()) {
            metadata = new ObjectMapper().readTree(in);
        }
        for (JsonNode property : metadata.path("properties")) {
            String name = property.path("name").asText();
            boolean map = property.path("type").asText().startsWith("java.util.Map");
            if (name.contains("*")) {
                families.add(familyOf(name, map));
            } else if (map) {
                families.add(familyOf(name + ".*", false));
            } else {
                exact.add(name);
            }
        }
    }

    /** {@code tocsin.collector.probes.*.host} as a pattern over variable names. */
    private static Pattern familyOf(String name, boolean map) {
        StringBuilder regex = new StringBuilder();
        for (String part : variableOf(name).split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append("[A-Z0-9_]+");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex + (map ? "_[A-Z0-9_]+" : ""));
    }

    private static void readSources(Path sources, Set<String> exact) throws IOException {
        if (!Files.isDirectory(sources)) {
            return;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher matcher = SOURCE_KEY.matcher(Files.readString(file));
                while (matcher.find()) {
                    exact.add(matcher.group(1));
                }
            }
        }
    }
}
