package io.tocsin.rules.silence;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.schema.Silence;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which alarms a silence picks, and when: every matcher, globs, categories, window edges and the choice among several. */
class SilenceMatcherTest {

    static final Instant START = Instant.parse("2026-11-20T22:00:00Z");
    static final Instant END = Instant.parse("2026-11-21T02:00:00Z");
    static final List<String> NODE = List.of("Node", "Database Health");

    static Silence.Builder silence(String id) {
        return Silence.newBuilder().setId(id).setStartsAt(START).setEndsAt(END).setAuthor("alice").setCreatedAt(START);
    }

    /** The alarm most tests look at: prod-galera / db1.example.org / MySqlDisconnected / [Node, Database Health] / cc-1. */
    static boolean matchesDb1(Silence silence) {
        return SilenceMatcher.matches(silence, "prod-galera", "db1.example.org", "MySqlDisconnected", NODE, "cc-1");
    }

    @Test
    void theWindowIncludesItsStartAndExcludesItsEnd() {
        Silence window = silence("w").build();
        assertThat(SilenceMatcher.active(window, START.minusMillis(1))).isFalse();
        assertThat(SilenceMatcher.active(window, START)).isTrue();
        assertThat(SilenceMatcher.active(window, END.minusMillis(1))).isTrue();
        assertThat(SilenceMatcher.active(window, END)).isFalse();
        Silence empty = silence("e").setEndsAt(START).build();
        assertThat(SilenceMatcher.active(empty, START)).as("an ended-before-start window is never active").isFalse();
    }

    @Test
    void statusFollowsTheWindow() {
        Silence window = silence("w").build();
        assertThat(SilenceStatus.of(window, START.minusMillis(1))).isEqualTo(SilenceStatus.PENDING);
        assertThat(SilenceStatus.of(window, START)).isEqualTo(SilenceStatus.ACTIVE);
        assertThat(SilenceStatus.of(window, END.minusMillis(1))).isEqualTo(SilenceStatus.ACTIVE);
        assertThat(SilenceStatus.of(window, END)).isEqualTo(SilenceStatus.EXPIRED);
    }

    @Test
    void eachMatcherOnItsOwn() {
        assertThat(matchesDb1(silence("c").setCluster("prod-galera").build())).isTrue();
        assertThat(matchesDb1(silence("c").setCluster("prod-pg").build())).isFalse();
        assertThat(matchesDb1(silence("h").setHost("db1.example.org").build())).isTrue();
        assertThat(matchesDb1(silence("h").setHost("db2.example.org").build())).isFalse();
        assertThat(matchesDb1(silence("t").setType("MySqlDisconnected").build())).isTrue();
        assertThat(matchesDb1(silence("t").setType("HostCpuUsage").build())).isFalse();
        assertThat(matchesDb1(silence("s").setSource("cc-1").build())).isTrue();
        assertThat(matchesDb1(silence("s").setSource("am-1").build())).isFalse();
        assertThat(matchesDb1(silence("g").setCategory("Database Health").build())).isTrue();
        assertThat(matchesDb1(silence("g").setCategory("Backup").build())).isFalse();
    }

    @Test
    void everyGivenMatcherMustMatch() {
        Silence both = silence("b").setCluster("prod-galera").setHost("db2*").build();
        assertThat(matchesDb1(both)).as("cluster matches, host does not").isFalse();
        assertThat(SilenceMatcher.matches(both, "prod-galera", "db2.example.org", "MySqlDisconnected", NODE, "cc-1")).isTrue();
        Silence all = silence("a").setCluster("prod-*").setHost("db?.example.org").setType("MySql*").setCategory("node")
                .setSource("cc-?").build();
        assertThat(matchesDb1(all)).isTrue();
        assertThat(SilenceMatcher.matches(all, "prod-galera", "db1.example.org", "MySqlDisconnected", NODE, "cc-12"))
                .as("? is exactly one character").isFalse();
    }

    @Test
    void globsMatchTheWholeValueCaseSensitively() {
        assertThat(matchesDb1(silence("g").setHost("db*").build())).isTrue();
        assertThat(matchesDb1(silence("g").setHost("*.example.org").build())).isTrue();
        assertThat(matchesDb1(silence("g").setHost("db1").build())).as("no prefix match without *").isFalse();
        assertThat(matchesDb1(silence("g").setHost("example").build())).as("no substring match").isFalse();
        assertThat(matchesDb1(silence("g").setHost("*example*").build())).isTrue();
        assertThat(matchesDb1(silence("g").setType("mysql*").build())).as("types are case-sensitive").isFalse();
        assertThat(matchesDb1(silence("g").setCluster("PROD-GALERA").build())).as("clusters are case-sensitive").isFalse();
    }

    @Test
    void aCategoryMatcherPicksAnyOfTheAlarmsCategoriesIgnoringCase() {
        assertThat(matchesDb1(silence("c").setCategory("Node").build())).as("the first").isTrue();
        assertThat(matchesDb1(silence("c").setCategory("database health").build())).as("the second, other case").isTrue();
        assertThat(matchesDb1(silence("c").setCategory("Database *").build())).isTrue();
        assertThat(matchesDb1(silence("c").setCategory("Database").build())).isFalse();
        Silence byCategory = silence("c").setCategory("*").build();
        assertThat(SilenceMatcher.matches(byCategory, "prod-galera", "db1", "MySqlDisconnected", List.of(), "cc-1"))
                .as("an alarm without categories has none to match").isFalse();
        assertThat(SilenceMatcher.matches(byCategory, "prod-galera", "db1", "MySqlDisconnected", null, "cc-1")).isFalse();
    }

    @Test
    void absentAlarmFieldsAreEmptySoOnlyStarPicksThem() {
        assertThat(SilenceMatcher.matches(silence("n").setCluster("*").build(), null, "db1", "T", NODE, "cc-1")).isTrue();
        assertThat(SilenceMatcher.matches(silence("n").setCluster("prod*").build(), null, "db1", "T", NODE, "cc-1")).isFalse();
        assertThat(SilenceMatcher.matches(silence("n").setHost("db*").build(), "prod", null, "T", NODE, "cc-1")).isFalse();
    }

    @Test
    void matchersLeftOutMatchAnything() {
        Silence onlySource = silence("s").setSource("cc-1").build();
        assertThat(SilenceMatcher.matches(onlySource, null, null, null, null, "cc-1")).isTrue();
        assertThat(SilenceMatcher.matches(onlySource, "any", "thing", "Goes", List.of("Mail"), "cc-1")).isTrue();
    }

    @Test
    void theActiveMatchThatLastsLongestWinsTiesByIdWhateverTheOrder() {
        Silence shortOne = silence("a-short").setCluster("prod-*").setEndsAt(START.plusSeconds(600)).build();
        Silence longB = silence("b-long").setHost("db1*").build();
        Silence longC = silence("c-long").setType("MySql*").build();
        Silence longest = silence("z-longest").setSource("cc-1").setEndsAt(END.plusSeconds(3600)).build();
        Silence other = silence("other").setCluster("prod-pg").setEndsAt(END.plusSeconds(7200)).build();
        Silence later = silence("later").setCluster("*").setStartsAt(END).setEndsAt(END.plusSeconds(9000)).build();
        Instant now = START.plusSeconds(60);

        assertThat(first(List.of(shortOne, longB, longC, other, later), now)).isEqualTo("b-long");
        assertThat(first(List.of(later, other, longC, longB, shortOne), now)).as("order does not matter").isEqualTo("b-long");
        assertThat(first(List.of(shortOne, longC, longest, longB), now)).isEqualTo("z-longest");
        assertThat(first(List.of(shortOne, longB), END)).as("none active at END").isNull();
        assertThat(first(List.of(shortOne, longB, later), END)).as("only the later one is active then").isEqualTo("later");
        assertThat(first(List.of(other), now)).as("active but not matching").isNull();
        assertThat(first(List.of(), now)).isNull();
    }

    static String first(List<Silence> silences, Instant now) {
        return SilenceMatcher.firstActiveMatch(silences, now, "prod-galera", "db1.example.org", "MySqlDisconnected", NODE, "cc-1")
                .map(Silence::getId).orElse(null);
    }
}
