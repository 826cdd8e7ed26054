package io.tocsin.rules.silence;

import io.tocsin.rules.definition.Glob;
import io.tocsin.schema.Silence;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Which silences hold an alarm back (lead's minimal version; the silences branch replaces it). */
public final class SilenceMatcher {

    private SilenceMatcher() {
    }

    public static boolean active(Silence silence, Instant now) {
        return !now.isBefore(silence.getStartsAt()) && now.isBefore(silence.getEndsAt());
    }

    public static boolean matches(Silence s, String cluster, String host, String type, List<String> categories, String source) {
        return glob(s.getCluster(), cluster) && glob(s.getHost(), host) && glob(s.getType(), type) && glob(s.getSource(), source)
                && (s.getCategory() == null || categories.stream().anyMatch(c -> Glob.matches(s.getCategory(), c)));
    }

    public static Optional<Silence> firstActiveMatch(Iterable<Silence> silences, Instant now, String cluster, String host, String type,
                                                     List<String> categories, String source) {
        Silence best = null;
        Comparator<Silence> order = Comparator.comparing(Silence::getEndsAt).thenComparing(Silence::getId);
        for (Silence silence : silences) {
            if (active(silence, now) && matches(silence, cluster, host, type, categories, source)
                    && (best == null || order.compare(silence, best) > 0)) {
                best = silence;
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean glob(String glob, String value) {
        return glob == null || Glob.matches(glob, value == null ? "" : value);
    }
}
