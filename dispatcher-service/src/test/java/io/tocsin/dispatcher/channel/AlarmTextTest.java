package io.tocsin.dispatcher.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import org.junit.jupiter.api.Test;

class AlarmTextTest {

    @Test
    void truncatesByCharactersWithoutSplittingASurrogatePair() {
        assertThat(AlarmText.truncate("abc", 3)).isEqualTo("abc");
        assertThat(AlarmText.truncate("abcd", 3)).isEqualTo("ab…");
        String emoji = "\uD83D\uDD25"; // one character, two UTF-16 units
        assertThat(AlarmText.truncate("x" + emoji + emoji + "y", 3)).isEqualTo("x" + emoji + "…");
        assertThat(AlarmText.truncate(emoji.repeat(5), 5)).isEqualTo(emoji.repeat(5));
    }

    @Test
    void rendersTheHeadlineTheContextAndTheLinkWithTheEscapeOfTheChannel() {
        AlarmEvent created = TestEvents.event("470", AlarmEventStatus.CREATED);
        AlarmText text = AlarmText.of(created, "https://tocsin.example/alarms/{alarmKey}");
        assertThat(text.headline()).startsWith("[" + created.getSeverity().name() + "] ");
        assertThat(text.link()).isEqualTo("https://tocsin.example/alarms/" + java.net.URLEncoder.encode(created.getAlarmKey(), java.nio.charset.StandardCharsets.UTF_8));
        String rendered = text.render(s -> s.replace("<", "&lt;"), s -> "<b>" + s.replace("<", "&lt;") + "</b>");
        assertThat(rendered).startsWith("<b>[").contains("\nHost: " + created.getHostname()).endsWith(text.link());

        AlarmText ended = AlarmText.of(TestEvents.event("470", AlarmEventStatus.ENDED), null);
        assertThat(ended.headline()).startsWith("[RESOLVED] ");
        assertThat(ended.link()).isEmpty();
    }
}
