package io.tocsin.collector.host;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which mount points the host collector reports ({@code host.disk.usage}): the include/exclude globs over mount
 * points and the excluded file-system types of {@link HostCollectorSettings}.
 *
 * <p>Globs: {@code **} matches any characters, {@code *} any characters but {@code /}, {@code ?} one character but
 * {@code /}; everything else is literal. So {@code /var/**} matches {@code /var/lib/mysql} but not {@code /var}
 * itself, and {@code cgroup*} matches {@code cgroup2}.
 *
 * <p>With a root prefix (a collector in a container that sees the host's {@code /} at, say, {@code /host/root}),
 * a mount point is first renamed to the host's name for it ({@code /host/root/data} is {@code /data}, the prefix
 * itself is {@code /}); the globs and the root's exemption from the type filter apply to that name. A mount point
 * outside the prefix is the container's own ({@code /etc/hosts}, its overlay root) and is not reported.
 */
public final class MountFilter {

    private final String rootPrefix;
    private final List<Pattern> include;
    private final List<Pattern> exclude;
    private final List<Pattern> excludedTypes;

    public MountFilter(List<String> includeMounts, List<String> excludeMounts, List<String> excludeFsTypes) {
        this("", includeMounts, excludeMounts, excludeFsTypes);
    }

    /** {@code rootPrefix}: absolute, without a trailing {@code /}, or empty for none ({@link HostCollectorSettings} makes it so). */
    public MountFilter(String rootPrefix, List<String> includeMounts, List<String> excludeMounts, List<String> excludeFsTypes) {
        this.rootPrefix = rootPrefix;
        this.include = compile(includeMounts);
        this.exclude = compile(excludeMounts);
        this.excludedTypes = compile(excludeFsTypes);
    }

    public static MountFilter of(HostCollectorSettings settings) {
        return new MountFilter(settings.rootPrefix(), settings.includeMounts(), settings.excludeMounts(), settings.excludeFsTypes());
    }

    /** The name a mount point is reported under (the host's, see the class comment), when it is reported at all. */
    public Optional<String> reportedAs(String mount, String fsType) {
        return hostPath(mount).filter(path -> reports(path, fsType));
    }

    /** The host's name for a mount point: itself without a root prefix; empty when outside the prefix. */
    Optional<String> hostPath(String mount) {
        if (rootPrefix.isEmpty()) {
            return Optional.of(mount);
        }
        if (mount.equals(rootPrefix)) {
            return Optional.of("/");
        }
        return mount.startsWith(rootPrefix + "/") ? Optional.of(mount.substring(rootPrefix.length())) : Optional.empty();
    }

    /**
     * Whether a mount point (a host name, after the root prefix is removed) of a file-system type is reported: not excluded by mount point, included (when
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
