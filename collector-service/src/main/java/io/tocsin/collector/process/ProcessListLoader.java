package io.tocsin.collector.process;

import io.tocsin.schema.validation.RawAlarmValidator;
import io.tocsin.schema.wire.FieldError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads masakari's {@code process_list.yaml} (seed 003; {@code etc/masakarimonitors/process_list.yaml.sample}
 * loads unchanged): a YAML sequence of mappings with {@code process_name}, {@code start_command},
 * {@code pre_start_command}, {@code post_start_command}, {@code restart_command}, {@code pre_restart_command},
 * {@code post_restart_command} and {@code run_as_root}, plus Tocsin's {@code shell}.
 *
 * <p>Stricter than masakari, which fails at run time on a missing key: {@code process_name}, {@code start_command}
 * and {@code restart_command} are required; the other commands may be empty or absent; {@code run_as_root} and
 * {@code shell} are booleans (YAML 1.1, so masakari's {@code True} works) and default to false; unknown keys are
 * errors (a misspelt {@code restart_comand} would otherwise silently disable restarts); process names are unique
 * (they identify the alarm); commands of a {@code shell: false} entry must split ({@link CommandSplitter}).
 *
 * <p>YAML is read with SnakeYAML's {@link SafeConstructor} (plain maps, lists, strings, booleans and numbers: the
 * file can never instantiate a class), without duplicate keys, with few aliases and at most {@link #MAX_BYTES}.
 */
public final class ProcessListLoader {

    /** Largest process list read; a list of a few hundred processes is a few tens of kilobytes. */
    static final int MAX_BYTES = 1024 * 1024;
    /** Longest process name: it is the instance of process.cpu.usage and part of the alarm's title. */
    static final int MAX_PROCESS_NAME = RawAlarmValidator.MAX_NAME;

    private static final Set<String> COMMAND_KEYS = Set.of(ProcessEntry.START, ProcessEntry.PRE_START, ProcessEntry.POST_START,
            ProcessEntry.RESTART, ProcessEntry.PRE_RESTART, ProcessEntry.POST_RESTART);
    private static final Set<String> KNOWN_KEYS;

    static {
        Set<String> known = new HashSet<>(COMMAND_KEYS);
        known.addAll(Set.of(ProcessEntry.PROCESS_NAME, ProcessEntry.RUN_AS_ROOT, ProcessEntry.SHELL));
        KNOWN_KEYS = Set.copyOf(known);
    }

    private ProcessListLoader() {
    }

    /**
     * The entries of the file, in file order.
     *
     * @throws ProcessListException naming the file and every problem found (unreadable, too large, not YAML, not
     *                              a non-empty sequence of mappings, or entries with bad fields)
     */
    public static List<ProcessEntry> load(Path file) {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw problem(file, "", "is larger than " + MAX_BYTES + " bytes");
            }
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw problem(file, "", "cannot be read (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        return parse(file.toString(), text);
    }

    /**
     * The entries of {@code yaml}; {@code name} is the file name messages give.
     *
     * @throws ProcessListException as {@link #load}
     */
    static List<ProcessEntry> parse(String name, String yaml) {
        Object document;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            options.setCodePointLimit(MAX_BYTES);
            document = new Yaml(new SafeConstructor(options)).load(yaml);
        } catch (YAMLException e) {
            // SnakeYAML's message gives line and column; it quotes at most a line of the file, which holds no secret.
            throw new ProcessListException(name, List.of(new FieldError("", "is not valid YAML: " + e.getMessage())));
        }
        if (!(document instanceof List<?> entries) || entries.isEmpty()) {
            throw new ProcessListException(name, List.of(new FieldError("",
                    "must be a non-empty YAML sequence of processes (masakari's process_list.yaml format)")));
        }
        List<FieldError> problems = new ArrayList<>();
        List<ProcessEntry> result = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int index = 0; index < entries.size(); index++) {
            String at = "[" + index + "]";
            if (!(entries.get(index) instanceof Map<?, ?> map)) {
                problems.add(new FieldError(at, "must be a mapping of process_name, start_command, ..."));
                continue;
            }
            List<FieldError> entryProblems = new ArrayList<>();
            ProcessEntry entry = entry(map, entryProblems);
            if (entry != null && !names.add(entry.processName())) {
                entryProblems.add(new FieldError(ProcessEntry.PROCESS_NAME, "is listed twice; each process may appear once"));
            }
            entryProblems.forEach(p -> problems.add(p.under(at)));
            if (entryProblems.isEmpty()) {
                result.add(entry);
            }
        }
        if (!problems.isEmpty()) {
            throw new ProcessListException(name, problems);
        }
        return List.copyOf(result);
    }

    /** The entry of one mapping, adding a problem per bad field; null when a field could not be read at all. */
    private static ProcessEntry entry(Map<?, ?> map, List<FieldError> problems) {
        for (Object key : map.keySet()) {
            if (!(key instanceof String text) || !KNOWN_KEYS.contains(text)) {
                problems.add(new FieldError(String.valueOf(key), "is not a field of a process list entry"));
            }
        }
        String processName = text(map, ProcessEntry.PROCESS_NAME, problems, true);
        if (processName != null && processName.length() > MAX_PROCESS_NAME) {
            problems.add(new FieldError(ProcessEntry.PROCESS_NAME, "must be at most " + MAX_PROCESS_NAME + " characters"));
        }
        Boolean shell = bool(map, ProcessEntry.SHELL, problems);
        Boolean runAsRoot = bool(map, ProcessEntry.RUN_AS_ROOT, problems);
        String start = command(map, ProcessEntry.START, true, shell, problems);
        String preStart = command(map, ProcessEntry.PRE_START, false, shell, problems);
        String postStart = command(map, ProcessEntry.POST_START, false, shell, problems);
        String restart = command(map, ProcessEntry.RESTART, true, shell, problems);
        String preRestart = command(map, ProcessEntry.PRE_RESTART, false, shell, problems);
        String postRestart = command(map, ProcessEntry.POST_RESTART, false, shell, problems);
        if (processName == null || shell == null || runAsRoot == null || start == null || preStart == null
                || postStart == null || restart == null || preRestart == null || postRestart == null) {
            return null;
        }
        return new ProcessEntry(processName, start, preStart, postStart, restart, preRestart, postRestart, runAsRoot, shell);
    }

    /** A string field, stripped; "" when absent or empty and not required; null after adding a problem. */
    private static String text(Map<?, ?> map, String key, List<FieldError> problems, boolean required) {
        Object value = map.get(key);
        if (value != null && !(value instanceof String)) {
            problems.add(new FieldError(key, "must be a string"));
            return null;
        }
        String text = value == null ? "" : ((String) value).strip();
        if (required && text.isEmpty()) {
            problems.add(new FieldError(key, "must not be empty"));
            return null;
        }
        if (text.indexOf('\0') >= 0) {
            problems.add(new FieldError(key, "must not contain NUL characters"));
            return null;
        }
        return text;
    }

    /** A command field: a string that, unless the entry uses the shell, splits into words. */
    private static String command(Map<?, ?> map, String key, boolean required, Boolean shell, List<FieldError> problems) {
        String command = text(map, key, problems, required);
        if (command == null || command.isEmpty()) {
            return command;
        }
        if (command.length() > CommandSplitter.MAX_LENGTH) {
            problems.add(new FieldError(key, "must be at most " + CommandSplitter.MAX_LENGTH + " characters"));
            return null;
        }
        if (!Boolean.TRUE.equals(shell)) {
            try {
                CommandSplitter.split(command);
            } catch (IllegalArgumentException e) {
                problems.add(new FieldError(key, e.getMessage()));
                return null;
            }
        }
        return command;
    }

    /** A boolean field, false when absent or empty; null after adding a problem. */
    private static Boolean bool(Map<?, ?> map, String key, List<FieldError> problems) {
        Object value = map.get(key);
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean flag) {
            return flag;
        }
        problems.add(new FieldError(key, "must be true or false"));
        return null;
    }

    private static ProcessListException problem(Path file, String field, String message) {
        return new ProcessListException(file.toString(), List.of(new FieldError(field, message)));
    }
}
