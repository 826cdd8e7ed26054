package io.tocsin.rules.silence;

import io.tocsin.rules.definition.Glob;
import io.tocsin.schema.Silence;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a silence applies to an alarm: pure functions of a {@link Silence}, the alarm's fields and the time, shared
 * by the topology (which marks events silenced) and the API (which reports a silence's status).
 *
 * <ul>
 *   <li>A silence is <em>active</em> in {@code [startsAt, endsAt)}: from its start, inclusive, to its end, exclusive.</li>
 *   <li>Every matcher that is given (non-null) must match; a matcher left out matches anything. The matchers are
 *       {@link Glob}s ({@code *}, {@code ?}) matched against the whole value, case-sensitively: cluster, host, type
 *       and source are identifiers.</li>
 *   <li>An alarm field that is absent (null) is matched as the empty string, so {@code *} matches any alarm while
 *       {@code db*} does not match an alarm without a host.</li>
 *   <li>The category matcher matches when it matches <em>any</em> of the alarm's categories, ignoring case (the
 *       dispatcher's integration filters compare categories the same way); an alarm without categories is not
 *       picked by a category matcher.</li>
 * </ul>
 */
public final class SilenceMatcher {

    /**
     * Among several silences matching one alarm, the one reported as {@code silencedBy}: the one that lasts longest
     * (latest {@code endsAt}, so the alarm is held back as long as any silence holds it), then the smallest id, so
     * every instance and every replay picks the same one.
     */
    static final Comparator<Silence> PREFERENCE = Comparator.comparing(Silence::getEndsAt).reversed()
            .thenComparing(Silence::getId);

    private SilenceMatcher() {
    }

    /** Whether {@code now} is within {@code [startsAt, endsAt)}. */
    public static boolean active(Silence silence, Instant now) {
        return !now.isBefore(silence.getStartsAt()) && now.isBefore(silence.getEndsAt());
    }

    /** Whether every matcher the silence gives matches the alarm; the time is not considered (see {@link #active}). */
    public static boolean matches(Silence silence, String cluster, String host, String type, List<String> categories,
                                  String source) {
        return globMatches(silence.getCluster(), cluster)
                && globMatches(silence.getHost(), host)
                && globMatches(silence.getType(), type)
                && globMatches(silence.getSource(), source)
                && categoryMatches(silence.getCategory(), categories);
    }

    /**
     * The silence that holds back the alarm now, if any: among the active ones that match it, the one with the latest
     * {@code endsAt}, ties broken by the smallest id (deterministic, whatever the iteration order).
     */
    public static Optional<Silence> firstActiveMatch(Iterable<Silence> silences, Instant now, String cluster, String host,
                                                     String type, List<String> categories, String source) {
        Silence best = null;
        for (Silence silence : silences) {
            if (active(silence, now) && matches(silence, cluster, host, type, categories, source)
                    && (best == null || PREFERENCE.compare(silence, best) < 0)) {
                best = silence;
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean globMatches(String glob, String value) {
        return glob == null || Glob.matches(glob, value == null ? "" : value);
    }

    private static boolean categoryMatches(String glob, List<String> categories) {
        if (glob == null) {
            return true;
        }
        if (categories == null) {
            return false;
        }
        String lowerGlob = glob.toLowerCase(Locale.ROOT);
        for (String category : categories) {
            if (category != null && Glob.matches(lowerGlob, category.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
