package io.tocsin.rules.definition;

/**
 * Shell-style globs for instance, cluster and host selectors and for silence matchers: {@code *} any run of
 * characters, {@code ?} one character, everything else literal (no character classes, so {@code [} in a mount
 * point needs no escaping).
 */
public final class Glob {

    private Glob() {
    }

    /** Whether {@code text} matches {@code glob} entirely; case-sensitive. */
    public static boolean matches(String glob, String text) {
        // Iterative matcher with backtracking to the last '*': linear-ish and immune to pathological patterns.
        int g = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < text.length()) {
            if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == text.charAt(t))) {
                g++;
                t++;
            } else if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                mark = t;
            } else if (star >= 0) {
                g = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }
}
