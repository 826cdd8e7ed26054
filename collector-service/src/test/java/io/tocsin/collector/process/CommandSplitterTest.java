package io.tocsin.collector.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The documented quoting rules of {@link CommandSplitter}, and that nothing else is interpreted. */
class CommandSplitterTest {

    @Test
    void plainCommandsSplitOnWhitespaceLikeMasakari() {
        assertThat(CommandSplitter.split("systemctl restart nova-compute")).containsExactly("systemctl", "restart", "nova-compute");
        assertThat(CommandSplitter.split("  systemctl \t restart\n  libvirtd  ")).containsExactly("systemctl", "restart", "libvirtd");
    }

    @Test
    void quotesAndBackslashesGroupWords() {
        assertThat(CommandSplitter.split("echo 'a b' \"c d\" e\\ f")).containsExactly("echo", "a b", "c d", "e f");
        assertThat(CommandSplitter.split("run --name=\"my service\" x'y z'w")).containsExactly("run", "--name=my service", "xy zw");
        assertThat(CommandSplitter.split("say \"she said \\\"hi\\\" \\\\ \\n\"")).containsExactly("say", "she said \"hi\" \\ \\n");
        assertThat(CommandSplitter.split("say 'it''s' \\'quoted\\'")).containsExactly("say", "its", "'quoted'");
        assertThat(CommandSplitter.split("tool '' \"\" end")).containsExactly("tool", "", "", "end");
        assertThat(CommandSplitter.split("single '\"double inside\"' 'back\\slash'")).containsExactly("single", "\"double inside\"", "back\\slash");
    }

    @Test
    void shellSyntaxIsPassedLiterally() {
        assertThat(CommandSplitter.split("echo $HOME $(id) `id` *.conf ~ a;b | c && d > /tmp/x # comment"))
                .containsExactly("echo", "$HOME", "$(id)", "`id`", "*.conf", "~", "a;b", "|", "c", "&&", "d", ">", "/tmp/x", "#", "comment");
    }

    @Test
    void malformedCommandsAreRejectedWithAReason() {
        assertThatThrownBy(() -> CommandSplitter.split("echo 'open")).hasMessage("has an unterminated single quote at character 6");
        assertThatThrownBy(() -> CommandSplitter.split("echo \"open \\\"")).hasMessage("has an unterminated double quote at character 6");
        assertThatThrownBy(() -> CommandSplitter.split("echo \\")).hasMessage("ends with a backslash that escapes nothing");
        assertThatThrownBy(() -> CommandSplitter.split("   ")).hasMessage("must not be empty");
        assertThatThrownBy(() -> CommandSplitter.split("echo a\0b")).hasMessage("must not contain NUL characters");
        assertThatThrownBy(() -> CommandSplitter.split("x".repeat(CommandSplitter.MAX_LENGTH + 1)))
                .hasMessage("must be at most " + CommandSplitter.MAX_LENGTH + " characters");
    }
}
