package io.tocsin.rules.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmState;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.Silence;
import io.tocsin.schema.SourceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Raw alarms through the lifecycle: repeats, escalation of event rules, silences, source heartbeats. */
class SilencesAndEventRulesTopologyTest {

    static final Instant T0 = RulesDriver.T0;

    RulesDriver tocsin = new RulesDriver();

    @AfterEach
    void close() {
        tocsin.close();
    }

    static RawAlarm raise(String id, String type, long seconds) {
        return RawAlarm.newBuilder().setSource("cc-1").setAlarmId(id).setState(RawAlarmState.RAISED).setType(type)
                .setCluster("prod-galera").setHostname("10.0.0.7").setTitle(type + " on 10.0.0.7").setTimestamp(T0.plusSeconds(seconds)).build();
    }

    static RawAlarm clear(String id, long seconds) {
        return RawAlarm.newBuilder().setSource("cc-1").setAlarmId(id).setState(RawAlarmState.CLEARED)
                .setTimestamp(T0.plusSeconds(seconds)).build();
    }

    static Silence silence(String id, String cluster, String type, long fromSeconds, long toSeconds) {
        return Silence.newBuilder().setId(id).setCluster(cluster).setType(type).setStartsAt(T0.plusSeconds(fromSeconds))
                .setEndsAt(T0.plusSeconds(toSeconds)).setAuthor("ops").setCreatedAt(T0).build();
    }

    static String summary(List<AlarmEvent> events) {
        return String.join(",", events.stream().map(e -> e.getStatus() + (e.getSilenced() ? "(silenced)" : "") + "#" + e.getSequence()).toList());
    }

    @Test
    void repeatsCountAndLastSeenAdvanceWithoutEvents() {
        tocsin.alarm(raise("1", "MySqlDisconnected", 0));
        tocsin.alarm(raise("1", "MySqlDisconnected", 30));
        tocsin.alarm(raise("1", "MySqlDisconnected", 60));
        assertThat(summary(tocsin.events())).isEqualTo("CREATED#1");
        AlarmState open = tocsin.<AlarmState>store(AlarmLifecycleTopology.LIFECYCLE_STORE).get("cc-1:1");
        assertThat(open.getRepeatCount()).isEqualTo(3);
        assertThat(open.getOpenedAt()).isEqualTo(T0);
        assertThat(open.getLastSeen()).isEqualTo(T0.plusSeconds(60));
        tocsin.alarm(clear("1", 90));
        List<AlarmEvent> ended = tocsin.events();
        assertThat(summary(ended)).isEqualTo("ENDED#2");
        assertThat(ended.getFirst().getRepeatCount()).isEqualTo(3);
    }

    @Test
    void galeraWsrepMissingEscalatesToCriticalAfterTwentyCycles() {
        for (int cycle = 1; cycle <= 19; cycle++) {
            tocsin.alarm(raise("w", "GaleraWsrepMissing", cycle));
        }
        assertThat(tocsin.events()).extracting(e -> e.getStatus() + ":" + e.getSeverity()).containsExactly("CREATED:WARNING");
        tocsin.alarm(raise("w", "GaleraWsrepMissing", 20));
        tocsin.alarm(raise("w", "GaleraWsrepMissing", 21));
        assertThat(tocsin.events()).extracting(e -> e.getStatus() + ":" + e.getSeverity()).containsExactly("UPDATED:CRITICAL");
        tocsin.alarm(clear("w", 30));
        assertThat(tocsin.events()).extracting(e -> e.getStatus() + ":" + e.getSeverity()).containsExactly("ENDED:CRITICAL");
    }

    @Test
    void anAlarmOpenedInASilenceIsMarkedAndItsCreatedIsDeliveredWhenTheSilenceEnds() {
        tocsin.silence(silence("s1", "prod-*", null, 0, 600));
        tocsin.alarm(raise("1", "MySqlDisconnected", 10));
        List<AlarmEvent> during = tocsin.events();
        assertThat(summary(during)).isEqualTo("CREATED(silenced)#1");
        assertThat(during.getFirst().getSilencedBy()).isEqualTo("s1");
        assertThat(tocsin.<AlarmState>store(AlarmLifecycleTopology.LIFECYCLE_STORE).get("cc-1:1").getSilenced()).isTrue();

        // The wall clock passes the silence's end (T0 + 600 s): the still-open alarm's CREATED goes out then.
        tocsin.advanceWallClock(Duration.ofSeconds(590));
        assertThat(tocsin.events()).isEmpty();
        tocsin.advanceWallClock(Duration.ofSeconds(15));
        List<AlarmEvent> released = tocsin.events();
        assertThat(summary(released)).isEqualTo("CREATED#2");
        assertThat(released.getFirst().getEventId()).isEqualTo("cc-1:1/" + T0.plusSeconds(10).toEpochMilli() + "/2");
        tocsin.alarm(clear("1", 700));
        assertThat(summary(tocsin.events())).isEqualTo("ENDED#3");
    }

    @Test
    void anAlarmThatOpenedAndEndedInsideTheSilenceProducesNothingDelivered() {
        tocsin.silence(silence("s1", null, "MySql*", 0, 600));
        tocsin.alarm(raise("1", "MySqlDisconnected", 10));
        tocsin.alarm(clear("1", 20));
        tocsin.advanceWallClock(Duration.ofSeconds(700));
        assertThat(summary(tocsin.events())).isEqualTo("CREATED(silenced)#1,ENDED(silenced)#2");
        // A non-matching alarm in the same window is delivered as usual.
        tocsin.alarm(raise("2", "ClusterFailure", 30));
        assertThat(summary(tocsin.events())).isEqualTo("CREATED#1");
    }

    @Test
    void endingASilenceEarlyReleasesAtTheNextCheck() {
        tocsin.silence(silence("s1", "prod-galera", null, 0, 3600));
        tocsin.alarm(raise("1", "MySqlDisconnected", 10));
        assertThat(summary(tocsin.events())).isEqualTo("CREATED(silenced)#1");
        tocsin.advanceWallClock(Duration.ofSeconds(30));
        assertThat(tocsin.events()).isEmpty();
        Silence ended = silence("s1", "prod-galera", null, 0, 35);
        ended.setEndedEarly(true);
        tocsin.silence(ended);
        tocsin.advanceWallClock(Duration.ofSeconds(10));
        assertThat(summary(tocsin.events())).isEqualTo("CREATED#2");
    }

    @Test
    void anAlarmDeliveredBeforeASilenceKeepsItsEndedDelivered() {
        tocsin.alarm(raise("1", "MySqlDisconnected", 10));
        tocsin.silence(silence("s1", "prod-galera", null, 20, 600));
        RawAlarm changed = raise("1", "MySqlDisconnected", 30);
        changed.setTitle("still disconnected");
        tocsin.alarm(changed);
        tocsin.alarm(clear("1", 40));
        assertThat(summary(tocsin.events())).isEqualTo("CREATED#1,UPDATED(silenced)#2,ENDED#3");
    }

    @Test
    void aSourceWithAnExpectedIntervalThatGoesQuietRaisesItsHeartbeatAlarm() {
        RawAlarm keepAlive = clear("keep-alive", 0);
        keepAlive.setLabels(Map.of("tocsin.expected-interval", "60s"));
        tocsin.alarm(keepAlive);
        tocsin.advanceWallClock(Duration.ofSeconds(175));
        assertThat(tocsin.events()).isEmpty();
        tocsin.advanceWallClock(Duration.ofSeconds(10));
        List<AlarmEvent> lost = tocsin.events();
        assertThat(lost).extracting(e -> e.getType() + ":" + e.getStatus() + ":" + e.getSeverity())
                .containsExactly("SourceHeartbeatLost:CREATED:CRITICAL");
        assertThat(lost.getFirst().getTitle()).isEqualTo("Alarm source cc-1 went quiet");
        tocsin.alarm(clear("keep-alive", 200));
        assertThat(tocsin.events()).extracting(e -> e.getType() + ":" + e.getStatus()).containsExactly("SourceHeartbeatLost:ENDED");
        tocsin.advanceWallClock(Duration.ofSeconds(1));
        SourceStatus status = tocsin.<SourceStatus>store(AlarmLifecycleTopology.SOURCE_STATUS_STORE).get("cc-1");
        assertThat(status.getCleared()).isEqualTo(2);
        assertThat(status.getExpectedIntervalMillis()).isEqualTo(60_000L);
        assertThat(status.getOnline()).isTrue();
    }
}
