package io.tocsin.dispatcher.channel.plugin;

import io.tocsin.dispatcher.integration.IntegrationConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Real shell scripts in a temporary plugin directory, and what they recorded. */
final class PluginScripts {

    /**
     * Records the environment exactly as the process received it: /proc/PID/environ is the block given to exec,
     * before the shell adds its own variables (dash exports PWD).
     */
    static final String RECORD_ENVIRONMENT = "cat /proc/$$/environ > env.bin\n";
    /** Records standard input byte for byte. */
    static final String RECORD_STDIN = "cat > stdin.bin\n";

    private final Path directory;

    PluginScripts(Path directory) {
        this.directory = directory;
    }

    Path directory() {
        return directory;
    }

    /** Writes an executable {@code #!/bin/sh} script (mode 0755) with this body. */
    Path script(String name, String body) throws IOException {
        Path file = directory.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** The bytes a script wrote to a file of the plugin directory (its working directory). */
    String written(String file) throws IOException {
        return Files.readString(directory.resolve(file), StandardCharsets.UTF_8);
    }

    /** The environment recorded by {@link #RECORD_ENVIRONMENT}, sorted by name. */
    Map<String, String> recordedEnvironment() throws IOException {
        Map<String, String> environment = new TreeMap<>();
        for (String entry : written("env.bin").split("\0")) {
            if (!entry.isEmpty()) {
                int equals = entry.indexOf('=');
                environment.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        return environment;
    }

    /** A declared plugin integration named {@code ops}, from name/value pairs. */
    static IntegrationConfig integration(String... settings) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < settings.length; i += 2) {
            map.put(settings[i], settings[i + 1]);
        }
        return IntegrationConfig.declared("ops", PluginNotifier.SERVICE, map);
    }

    /**
     * Whether a process with this id (read from a file the script wrote) still runs. A killed process that init
     * has not reaped yet (a zombie) does not run.
     */
    boolean alive(String pidFile) throws IOException {
        Path stat = Path.of("/proc", written(pidFile).trim(), "stat");
        try {
            String line = Files.readString(stat, StandardCharsets.US_ASCII);
            return line.charAt(line.lastIndexOf(')') + 2) != 'Z';
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }
}
