package io.tocsin.rules.definition;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads and validates rules files. A file is a mapping with one key, {@code rules}, holding a list of rules (see
 * docs/alarms.md). YAML is read with SnakeYAML's {@link SafeConstructor} into plain maps, lists, strings and
 * numbers only: a rules file can never instantiate a class.
 *
 * <p>Several files load in order into one {@link RuleSet}: a type defined again in a later file <em>replaces</em>
 * the earlier rule entirely (so a custom directory overrides the shipped defaults); the same type twice in one file
 * is an error. Every load reports all problems of all files together in one {@link RulesException}.
 */
public final class RulesLoader {

    /** The classpath resource with the shipped default rules (the ClusterControl catalogue of seed 000). */
    public static final String DEFAULT_RESOURCE = "rules/default-rules.yaml";

    /** A rules document and the name that messages give it (a path, or {@code classpath:...}). */
    public record Source(String name, String yaml) {
    }

    private RulesLoader() {
    }

    /**
     * The shipped defaults.
     *
     * @throws RulesException when the resource is missing or invalid (a packaging bug)
     */
    public static RuleSet defaults() {
        return load(List.of(defaultSource()));
    }

    /**
     * The shipped defaults, then every {@code *.yaml} file of {@code directory} in name order (later wins).
     *
     * @throws RulesException listing every problem of every file, or that the directory cannot be read
     */
    public static RuleSet defaultsAnd(Path directory) {
        List<Source> sources = new ArrayList<>();
        sources.add(defaultSource());
        sources.addAll(directorySources(directory));
        return load(sources);
    }

    /**
     * One file.
     *
     * @throws RulesException when the file cannot be read or has any problem (all are listed)
     */
    public static RuleSet loadFile(Path file) {
        return load(List.of(read(file)));
    }

    /**
     * Every {@code *.yaml} file of {@code directory}, sorted by name; a later file's type replaces an earlier one's.
     *
     * @throws RulesException when the directory or a file cannot be read or any file has problems (all are listed)
     */
    public static RuleSet loadDirectory(Path directory) {
        return load(directorySources(directory));
    }

    /**
     * The documents in order; a later document's type replaces an earlier one's.
     *
     * @throws RulesException listing every problem found in every document
     */
    public static RuleSet load(List<Source> sources) {
        RuleProblems problems = new RuleProblems();
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (Source source : sources) {
            if (source.yaml() == null) {
                problems.file(source.name(), "cannot be read");
                continue;
            }
            for (Rule rule : parse(source, problems)) {
                rules.remove(rule.type());
                rules.put(rule.type(), rule);
            }
        }
        if (!problems.isEmpty()) {
            throw new RulesException(problems.errors());
        }
        return new RuleSet(rules);
    }

    private static List<Rule> parse(Source source, RuleProblems problems) {
        Object document;
        try {
            LoaderOptions options = new LoaderOptions();
            // A key written twice in a mapping is almost always a copy-paste slip; refuse it rather than keep the last.
            options.setAllowDuplicateKeys(false);
            document = new Yaml(new SafeConstructor(options)).load(source.yaml());
        } catch (YAMLException e) {
            problems.file(source.name(), "is not valid YAML: " + e.getMessage().replace('\n', ' '));
            return List.of();
        }
        if (!(document instanceof Map<?, ?> top) || !(top.get("rules") instanceof List<?> list)) {
            problems.file(source.name(), "must be a mapping with a 'rules' list");
            return List.of();
        }
        for (Object key : top.keySet()) {
            if (!"rules".equals(key)) {
                problems.file(source.name(), key + " is not a known top-level field (only 'rules')");
            }
        }
        RuleParser parser = new RuleParser(source.name(), problems);
        List<Rule> rules = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String label = RuleParser.label(list.get(i), i);
            if (!label.startsWith("#") && !seen.add(label)) {
                problems.field(source.name(), label, "type", "is defined twice in this file");
            }
            Rule rule = parser.parse(list.get(i), i);
            if (rule != null) {
                rules.add(rule);
            }
        }
        return rules;
    }

    private static Source defaultSource() {
        try (InputStream in = RulesLoader.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
            return new Source("classpath:" + DEFAULT_RESOURCE, in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Source("classpath:" + DEFAULT_RESOURCE, null);
        }
    }

    private static List<Source> directorySources(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml") && Files.isRegularFile(f)).sorted()
                    .map(RulesLoader::read).toList();
        } catch (IOException e) {
            throw new RulesException(List.of(directory + ": cannot list the directory: " + e.getMessage()));
        }
    }

    private static Source read(Path file) {
        try {
            return new Source(file.toString(), Files.readString(file));
        } catch (IOException e) {
            return new Source(file.toString(), null);
        }
    }
}
