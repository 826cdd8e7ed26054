package io.tocsin.dispatcher.channel.plugin;

import static io.tocsin.dispatcher.channel.plugin.PluginScripts.integration;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How runs end and how each ending is classified; the path and secret rules. */
class PluginExecutionTest {

    private static final AlarmEvent EVENT = TestEvents.event("470", AlarmEventStatus.CREATED);

    @TempDir
    Path root;
    private Path directory;
    private PluginScripts scripts;
    private PluginNotifier notifier;

    @BeforeEach
    void setUp() throws Exception {
        directory = Files.createDirectory(root.resolve("plugins"));
        scripts = new PluginScripts(directory);
        notifier = new PluginNotifier(directory.toString());
    }

    @Test
    void aNonZeroExitIsARetryableServerFailureWithTheExitCode() throws Exception {
        scripts.script("pd.py", "exit 3\n");

        DeliveryResult result = notifier.notify(EVENT, integration("plugin", "pd.py"));

        assertThat(result).isEqualTo(new DeliveryResult.Retryable(Failure.SERVER, "plugin 'pd.py' exited with code 3", 3, null));
    }

    @Test
    void aPluginRunningPastItsTimeoutIsKilledWithItsChildren() throws Exception {
        scripts.script("slow.sh", """
                sleep 30 &
                echo $! > child.pid
                echo $$ > self.pid
                wait
                """);
        long started = System.nanoTime();

        DeliveryResult result = notifier.notify(EVENT, integration("plugin", "slow.sh", "timeout", "300ms"));

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(result).isEqualTo(new DeliveryResult.Retryable(Failure.TIMEOUT,
                "plugin 'slow.sh' did not finish within 300 ms and was killed", 0, null));
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(3));
        assertThat(scripts.alive("self.pid")).as("the plugin").isFalse();
        assertThat(scripts.alive("child.pid")).as("the child it started").isFalse();
    }

    @Test
    void anInterruptKillsThePluginAndLeavesTheFlagSet() throws Exception {
        scripts.script("slow.sh", "echo $$ > self.pid\nexec sleep 30\n");
        AtomicReference<DeliveryResult> result = new AtomicReference<>();
        AtomicBoolean flagAfter = new AtomicBoolean();
        Thread caller = Thread.ofVirtual().start(() -> {
            result.set(notifier.notify(EVENT, integration("plugin", "slow.sh")));
            flagAfter.set(Thread.currentThread().isInterrupted());
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!Files.exists(directory.resolve("self.pid")) || Files.size(directory.resolve("self.pid")) == 0) {
            assertThat(System.nanoTime()).as("the plugin started").isLessThan(deadline);
            Thread.sleep(10);
        }

        assertThat(scripts.alive("self.pid")).as("running before the interrupt").isTrue();

        caller.interrupt();
        caller.join(Duration.ofSeconds(5));

        assertThat(caller.isAlive()).isFalse();
        assertThat(result.get()).isEqualTo(new DeliveryResult.Retryable(Failure.TIMEOUT, "plugin 'slow.sh' was interrupted and killed", 0, null));
        assertThat(flagAfter).isTrue();
        assertThat(scripts.alive("self.pid")).isFalse();
    }

    @Test
    void aMissingPluginIsAPermanentConfigurationFailure() {
        DeliveryResult result = notifier.notify(EVENT, integration("plugin", "nothere.sh"));

        assertThat(result).isInstanceOf(DeliveryResult.Permanent.class);
        assertThat(((DeliveryResult.Permanent) result).failure()).isEqualTo(Failure.CONFIG);
        assertThat(result.reason()).isEqualTo("plugin 'nothere.sh' does not exist in the plugin directory " + directory);
    }

    @Test
    void aMissingPluginDirectoryIsAPermanentConfigurationFailure() {
        PluginNotifier elsewhere = new PluginNotifier(root.resolve("absent").toString());

        DeliveryResult result = elsewhere.notify(EVENT, integration("plugin", "pd.py"));

        assertThat(result).isEqualTo(new DeliveryResult.Permanent(Failure.CONFIG,
                "the plugin directory " + root.resolve("absent") + " does not exist or cannot be read", 0));
    }

    @Test
    void aPluginThatIsNotExecutableIsAPermanentConfigurationFailure() throws Exception {
        Path file = scripts.script("pd.py", "exit 0\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(notifier.notify(EVENT, integration("plugin", "pd.py")))
                .isEqualTo(new DeliveryResult.Permanent(Failure.CONFIG, "plugin 'pd.py' is not executable (chmod +x)", 0));
    }

    @Test
    void aDirectoryOrAWorldWritableFileIsRefused() throws Exception {
        Files.createDirectory(directory.resolve("sub"));
        Path open = scripts.script("open.sh", "exit 0\n");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(notifier.notify(EVENT, integration("plugin", "sub")))
                .isEqualTo(new DeliveryResult.Permanent(Failure.CONFIG, "plugin 'sub' is not a regular file", 0));
        assertThat(notifier.notify(EVENT, integration("plugin", "open.sh")))
                .isEqualTo(new DeliveryResult.Permanent(Failure.CONFIG, "plugin 'open.sh' is writable by others (chmod o-w)", 0));
    }

    @Test
    void aSymbolicLinkOutOfTheDirectoryIsRefusedAndOneInsideIsFollowed() throws Exception {
        Path outside = root.resolve("outside.sh");
        Files.writeString(outside, "#!/bin/sh\necho escaped > escaped.txt\n");
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(directory.resolve("escape.sh"), outside);
        scripts.script("real.sh", "echo inside > inside.txt\n");
        Files.createSymbolicLink(directory.resolve("alias.sh"), directory.resolve("real.sh"));

        DeliveryResult escaped = notifier.notify(EVENT, integration("plugin", "escape.sh"));
        DeliveryResult followed = notifier.notify(EVENT, integration("plugin", "alias.sh"));

        assertThat(escaped).isEqualTo(new DeliveryResult.Permanent(Failure.CONFIG,
                "plugin 'escape.sh' resolves outside the plugin directory (symbolic link)", 0));
        assertThat(Files.exists(directory.resolve("escaped.txt"))).isFalse();
        assertThat(Files.exists(root.resolve("escaped.txt"))).isFalse();
        assertThat(followed).isInstanceOf(DeliveryResult.Delivered.class);
        assertThat(scripts.written("inside.txt")).isEqualTo("inside\n");
    }

    @Test
    void aPluginThatCannotBeStartedIsAPermanentConfigurationFailure() throws Exception {
        Path file = directory.resolve("broken.sh");
        Files.writeString(file, "#!/nonexistent/interpreter\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));

        DeliveryResult result = notifier.notify(EVENT, integration("plugin", "broken.sh"));

        assertThat(result).isInstanceOf(DeliveryResult.Permanent.class);
        assertThat(((DeliveryResult.Permanent) result).failure()).isEqualTo(Failure.CONFIG);
        assertThat(result.reason()).startsWith("plugin 'broken.sh' could not be started: ").contains("No such file");
    }

    @Test
    void invalidSettingsAreAPermanentConfigurationFailureNamingTheSetting() throws Exception {
        scripts.script("pd.py", "exit 0\n");

        assertThat(notifier.notify(EVENT, integration("plugin", "../pd.py")))
                .isEqualTo(new DeliveryResult.Permanent(Failure.CONFIG, "tocsin.dispatcher.integrations.ops.plugin "
                        + "must be a file name inside the plugin directory, without '/' or '\\'", 0));
        assertThat(notifier.notify(EVENT, integration("plugin", "pd.py", "mode", "nagios")).reason())
                .isEqualTo("tocsin.dispatcher.integrations.ops.mode must be 'clustercontrol' (the default) or 'pacemaker'");
    }

    @Test
    void theReasonOfAFailedPluginNeverCarriesItsOutputNorItsSecrets() throws Exception {
        scripts.script("leaky.sh", "echo \"token is $TOKEN\"\necho \"$TOKEN\" >&2\nexit 4\n");

        DeliveryResult result = notifier.notify(EVENT, integration("plugin", "leaky.sh", "env.TOKEN", "tok-SECRET-42"));

        assertThat(result).isEqualTo(new DeliveryResult.Retryable(Failure.SERVER, "plugin 'leaky.sh' exited with code 4", 4, null));
        assertThat(result.reason()).doesNotContain("tok-SECRET-42").doesNotContain("token is");
    }

    @Test
    void theTitleReachesThePluginVerbatimAndNoShellEverReadsIt() throws Exception {
        Path pwned = root.resolve("pwned-" + System.nanoTime());
        String title = "$(touch " + pwned + "); `touch " + pwned + "`; touch " + pwned + " && echo ${HOME} '\"";
        AlarmEvent event = AlarmEvent.newBuilder(EVENT).setTitle(title).build();
        scripts.script("cc.sh", PluginScripts.RECORD_STDIN);
        scripts.script("pcmk.sh", PluginScripts.RECORD_ENVIRONMENT);

        assertThat(notifier.notify(event, integration("plugin", "cc.sh"))).isInstanceOf(DeliveryResult.Delivered.class);
        assertThat(notifier.notify(event, integration("plugin", "pcmk.sh", "mode", "pacemaker")))
                .isInstanceOf(DeliveryResult.Delivered.class);

        assertThat(scripts.written("stdin.bin")).contains("\"name\":\"" + title.replace("\"", "\\\"") + "\"");
        assertThat(scripts.recordedEnvironment()).containsEntry("CRM_alert_desc", title).containsEntry("TOCSIN_TITLE", title);
        assertThat(Files.exists(pwned)).isFalse();
    }

    @Test
    void outputIsCappedAndEverySecretMaskedForTheLog() {
        PluginProcess.CappedOutput output = new PluginProcess.CappedOutput();
        byte[] chunk = "key=abc123 ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < 1000; i++) {
            output.write(chunk, chunk.length);
        }

        String text = output.text(java.util.List.of("abc123"));

        assertThat(text).doesNotContain("abc").startsWith("key=*** key=***");
        assertThat(text.length()).isLessThanOrEqualTo(PluginProcess.OUTPUT_LIMIT);
        // A cut that leaves a secret's beginning drops it.
        assertThat(PluginProcess.redact("password hunter", java.util.List.of("hunter2"), true)).isEqualTo("password ");
        assertThat(PluginProcess.redact("password hunter", java.util.List.of("hunter2"), false)).isEqualTo("password hunter");
    }
}
