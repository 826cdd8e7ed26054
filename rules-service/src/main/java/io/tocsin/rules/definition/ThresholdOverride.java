package io.tocsin.rules.definition;

/**
 * Replacement thresholds for the hosts a selector picks. {@code cluster} and {@code host} are globs
 * ({@code *}, {@code ?}); at least one is set. A {@code null} condition keeps the less specific level's one.
 *
 * @param cluster  the cluster glob, or {@code null} for any cluster
 * @param host     the host glob, or {@code null} for any host
 * @param warning  the replacement warning condition, or {@code null}
 * @param critical the replacement critical condition, or {@code null}
 */
public record ThresholdOverride(String cluster, String host, Condition warning, Condition critical) {

    /** Whether the selector picks {@code host} of {@code cluster}; null arguments match only absent selectors. */
    public boolean matches(String cluster, String host) {
        return selects(this.cluster, cluster) && selects(this.host, host);
    }

    /** A host selector is more specific than a cluster-only one: host &gt; cluster &gt; default. */
    public boolean hostLevel() {
        return host != null;
    }

    private static boolean selects(String glob, String value) {
        return glob == null || (value != null && Glob.matches(glob, value));
    }
}
