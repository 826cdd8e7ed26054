package io.tocsin.collector.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tocsin.schema.wire.FieldError;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** masakari's process_list.yaml is read as it is; every problem of a bad list is named by file, index and field. */
class ProcessListLoaderTest {

    @TempDir
    Path dir;

    static Path resource(String name) throws URISyntaxException {
        return Path.of(ProcessListLoaderTest.class.getResource("/process/" + name).toURI());
    }

    @Test
    void masakarisSampleLoadsUnchanged() throws Exception {
        // etc/masakarimonitors/process_list.yaml.sample of openstack/masakari-monitors, byte for byte.
        List<ProcessEntry> entries = ProcessListLoader.load(resource("masakari-process_list.yaml.sample"));
        assertThat(entries).extracting(ProcessEntry::processName).containsExactly("/usr/sbin/libvirtd", "/usr/local/bin/nova-compute",
                "/usr/bin/python /usr/local/bin/masakari-instancemonitor", "/usr/bin/python /usr/local/bin/masakari-hostmonitor", "/usr/sbin/sshd");
        ProcessEntry nova = entries.get(1);
        assertThat(nova).isEqualTo(new ProcessEntry("/usr/local/bin/nova-compute", "systemctl start nova-compute", "", "",
                "systemctl restart nova-compute", "", "", true, false));
        assertThat(nova.preRestart().present()).isFalse();
        assertThat(nova.restart().present()).isTrue();
    }

    @Test
    void theExampleOfTheDocumentationLoadsAndSplitsAsDocumented() throws Exception {
        String doc = Files.readString(Path.of("../docs/process-monitor.md"));
        String yaml = doc.substring(doc.indexOf("```yaml\n") + 8, doc.indexOf("```", doc.indexOf("```yaml\n") + 8));
        List<ProcessEntry> entries = ProcessListLoader.parse("docs/process-monitor.md", yaml);
        assertThat(entries).extracting(ProcessEntry::processName).containsExactly("/usr/sbin/haproxy", "garbd --group my_wsrep_cluster");
        assertThat(CommandSplitter.split(entries.get(1).startCommand())).containsExactly("/usr/local/bin/start-garbd", "my_wsrep_cluster",
                "--options", "gmcast.listen_addr=tcp://0.0.0.0:4444; pc.wait_prim=no");
        assertThat(entries.get(0).preRestartCommand()).isEqualTo("/usr/sbin/haproxy -c -f /etc/haproxy/haproxy.cfg");
    }

    @Test
    void everyProblemIsNamedByFileIndexAndField() throws Exception {
        Path file = resource("invalid-entries.yaml");
        ProcessListException error = catchThrowableOfType(ProcessListException.class, () -> ProcessListLoader.load(file));
        assertThat(error.file()).isEqualTo(file.toString());
        assertThat(error.problems()).containsExactly(
                new FieldError("[1].restart_command", "must not be empty"),
                new FieldError("[2].restart_comand", "is not a field of a process list entry"),
                new FieldError("[3].run_as_root", "must be true or false"),
                new FieldError("[3].start_command", "has an unterminated single quote at character 17"),
                new FieldError("[4].process_name", "is listed twice; each process may appear once"));
        assertThat(error.getMessage()).startsWith("Invalid process list " + file + ": [1].restart_command: must not be empty; ");
    }

    @Test
    void typesAndTheShellFlagAreChecked() {
        String yaml = """
                - process_name: a
                  start_command: 42
                  restart_command: "echo $(date) | logger"
                  shell: true
                - process_name: b
                  start_command: "echo 'x"
                  restart_command: restart b
                  shell: maybe
                - process_name: [c]
                  start_command: start c
                  restart_command: restart c
                - just a string
                """;
        ProcessListException error = catchThrowableOfType(ProcessListException.class, () -> ProcessListLoader.parse("list.yaml", yaml));
        // A shell command is not split, so b's unterminated quote counts only because b's shell flag is not true.
        assertThat(error.problems()).containsExactly(
                new FieldError("[0].start_command", "must be a string"),
                new FieldError("[1].shell", "must be true or false"),
                new FieldError("[1].start_command", "has an unterminated single quote at character 6"),
                new FieldError("[2].process_name", "must be a string"),
                new FieldError("[3]", "must be a mapping of process_name, start_command, ..."));

        List<ProcessEntry> shell = ProcessListLoader.parse("list.yaml", """
                - {process_name: a, start_command: "echo 'x", restart_command: "echo $(date) | logger", shell: true}
                """);
        assertThat(shell.getFirst().shell()).isTrue();
        assertThat(shell.getFirst().runAsRoot()).isFalse();
        assertThat(shell.getFirst().restartCommand()).isEqualTo("echo $(date) | logger");
    }

    @Test
    void theFileAsAWholeMustBeANonEmptyYamlSequence() throws Exception {
        assertThatThrownBy(() -> ProcessListLoader.parse("l.yaml", "process_name: a\nstart_command: b\n"))
                .hasMessage("Invalid process list l.yaml: (record): must be a non-empty YAML sequence of processes (masakari's process_list.yaml format)");
        assertThatThrownBy(() -> ProcessListLoader.parse("l.yaml", "")).isInstanceOf(ProcessListException.class);
        assertThatThrownBy(() -> ProcessListLoader.parse("l.yaml", "- {process_name: a, process_name: b}"))
                .hasMessageContaining("is not valid YAML").hasMessageContaining("duplicate key process_name");
        assertThatThrownBy(() -> ProcessListLoader.parse("l.yaml", "- process_name: [unclosed"))
                .hasMessageStartingWith("Invalid process list l.yaml: (record): is not valid YAML").hasMessageContaining("line 1");
        assertThatThrownBy(() -> ProcessListLoader.parse("l.yaml", "- !!java.io.File {}"))
                .as("no class is ever instantiated").hasMessageContaining("is not valid YAML");

        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> ProcessListLoader.load(missing))
                .hasMessageStartingWith("Invalid process list " + missing + ": (record): cannot be read (NoSuchFileException");
        Path huge = dir.resolve("huge.yaml");
        Files.writeString(huge, "#".repeat(ProcessListLoader.MAX_BYTES + 1));
        assertThatThrownBy(() -> ProcessListLoader.load(huge)).hasMessageContaining("is larger than " + ProcessListLoader.MAX_BYTES + " bytes");
    }
}
