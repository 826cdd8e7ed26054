package io.tocsin.collector.host;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which mount points the host collector reports ({@code host.disk.usage}): the include/exclude globs over mount
 * points and the excluded file-system types of {@link HostCollectorSettings}.
 *
 * <p>Globs: {@code **} matches any characters, {@code *} any characters but {@code /}, {@code ?} one character but
 * {@code /}; everything else is literal. So {@code /var/**} matches {@code /var/lib/mysql} but not {@code /var}
 * itself, and {@code cgroup*} matches {@code cgroup2}.
 */
public final class MountFilter {

    private final List<Pattern> include;
    private final List<Pattern> exclude;
    private final List<Pattern> excludedTypes;

    public MountFilter(List<String> includeMounts, List<String> excludeMounts, List<String> excludeFsTypes) {
        this.include = compile(includeMounts);
        this.exclude = compile(excludeMounts);
        this.excludedTypes = compile(excludeFsTypes);
    }

    public static MountFilter of(HostCollectorSettings settings) {
        return new MountFilter(settings.includeMounts(), settings.excludeMounts(), settings.excludeFsTypes());
    }

    /**
     * Whether a mount point of a file-system type is reported: not excluded by mount point, included (when
     * includes are set), and not of an excluded type, except the root, which is reported whatever its type.
     */
    public boolean reports(String mount, String fsType) {
        if (matchesAny(exclude, mount)) {
            return false;
        }
        if (!include.isEmpty() && !matchesAny(include, mount)) {
            return false;
        }
        return "/".equals(mount) || !matchesAny(excludedTypes, fsType == null ? "" : fsType);
    }

    private static boolean matchesAny(List<Pattern> patterns, String value) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(value).matches()) {
                return true;
            }
        }
        return false;
    }

    private static List<Pattern> compile(List<String> globs) {
        return globs.stream().map(MountFilter::glob).toList();
    }

    /** The regular expression of one glob (see the class comment). */
    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                if (c == '?') {
                    regex.append("[^/]");
                } else if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else {
                    regex.append("[^/]*");
                }
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
