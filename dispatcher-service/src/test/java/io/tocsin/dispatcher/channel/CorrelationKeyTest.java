package io.tocsin.dispatcher.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CorrelationKeyTest {

    @Test
    void aKeyWithinTheLimitIsKeptAsItIs() {
        assertThat(CorrelationKey.of("cmon:470", 255)).isEqualTo("cmon:470");
        assertThat(CorrelationKey.of("k".repeat(255), 255)).isEqualTo("k".repeat(255));
    }

    @Test
    void aLongerKeyKeepsItsStartThenTheSha256OfTheWholeKey() throws Exception {
        String key = "cmon:" + "a".repeat(300);
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));

        assertThat(CorrelationKey.of(key, 255)).isEqualTo(key.substring(0, 190) + "~" + hash).hasSize(255);
        assertThat(CorrelationKey.of(key + "b", 255)).as("same prefix, other key").isNotEqualTo(CorrelationKey.of(key, 255));
    }

    @Test
    void limitsCountCharactersAndNeverSplitASurrogatePair() {
        String key = "😀".repeat(300);
        String shortened = CorrelationKey.of(key, 255);

        assertThat(shortened.codePointCount(0, shortened.length())).isEqualTo(255);
        assertThat(shortened).startsWith("😀".repeat(190) + "~");
        assertThat(CorrelationKey.of("😀".repeat(255), 255)).isEqualTo("😀".repeat(255));
    }

    @Test
    void aLimitWithoutRoomForTheHashIsABug() {
        assertThatThrownBy(() -> CorrelationKey.of("key", 65)).isInstanceOf(IllegalArgumentException.class);
    }
}
