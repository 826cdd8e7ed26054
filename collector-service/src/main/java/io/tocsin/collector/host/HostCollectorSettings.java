package io.tocsin.collector.host;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.List;

/**
 * The host metrics collector ({@code tocsin.collector.host.*}): what it samples of the machine it runs on, and
 * how often. See {@code docs/collectors.md}, "Host metrics".
 *
 * @param enabled          whether the collector runs; off by default so that a collector-service which only
 *                         ingests does not report its own pod, on in the standalone ({@code application-standalone.yml})
 * @param interval         time between two samples (and the span CPU % and swap pages are measured over)
 * @param includeMounts    glob patterns of the mount points reported; empty (the default) reports every mount
 *                         point not excluded. {@code *} matches within one path segment, {@code **} across
 *                         segments, {@code ?} one character
 * @param excludeMounts    glob patterns of mount points never reported (wins over {@code include-mounts})
 * @param excludeFsTypes   glob patterns of file-system types never reported: pseudo and read-only image file
 *                         systems, which are always full or have no disk behind them. Not applied to {@code /}:
 *                         a container's root is an {@code overlay}, and it is the disk that fills up
 * @param networkMounts    whether network file systems (nfs, cifs, sshfs, glusterfs, ...) are reported; off by
 *                         default because a hung server can stall the sample of every metric
 * @param rootPrefix       where the host's {@code /} is mounted when the collector runs in a container that sees
 *                         the host through a mount (the Helm chart's DaemonSet: {@code /host/root}); empty (the
 *                         default) when it runs on the host itself. When set, only mount points at or below it are
 *                         reported, under the host's own names ({@code /host/root/data} as {@code /data}, the prefix
 *                         itself as {@code /}), and the mount globs apply to those names. Mount points outside it
 *                         are the container's own and never reported
 * @throws IllegalArgumentException when the interval is not positive or the root prefix is not an absolute path
 */
@ConfigurationProperties("tocsin.collector.host")
public record HostCollectorSettings(
        @Bindable(defaultValue = "false") boolean enabled,
        @Bindable(defaultValue = "10s") Duration interval,
        @Bindable(defaultValue = "") List<String> includeMounts,
        @Bindable(defaultValue = "") List<String> excludeMounts,
        @Bindable(defaultValue = DEFAULT_EXCLUDED_FS_TYPES) List<String> excludeFsTypes,
        @Bindable(defaultValue = "false") boolean networkMounts,
        @Bindable(defaultValue = "") String rootPrefix) {

    /**
     * Kernel pseudo file systems (no disk behind them), memory-backed ones (their "usage" is RAM), and read-only
     * images (squashfs snaps, iso9660/udf media: always 100 % used). {@code overlay} is excluded for the
     * container layers a Docker or Kubernetes host mounts under {@code /var/lib}; their backing disk is
     * reported under its own mount point.
     */
    public static final String DEFAULT_EXCLUDED_FS_TYPES = "proc,sysfs,devtmpfs,devpts,tmpfs,ramfs,cgroup*,overlay,squashfs,"
            + "iso9660,udf,nsfs,tracefs,debugfs,securityfs,pstore,bpf,autofs,mqueue,hugetlbfs,configfs,fusectl,"
            + "binfmt_misc,rpc_pipefs,efivarfs,selinuxfs,nfsd,fuse.lxcfs,fuse.gvfsd-fuse,fuse.portal,fuse.snapfuse";

    public HostCollectorSettings {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("tocsin.collector.host.interval must be positive, was " + interval);
        }
        includeMounts = clean(includeMounts);
        excludeMounts = clean(excludeMounts);
        excludeFsTypes = clean(excludeFsTypes);
        rootPrefix = rootPrefix == null ? "" : rootPrefix.strip();
        if (!rootPrefix.isEmpty() && !rootPrefix.startsWith("/")) {
            throw new IllegalArgumentException("tocsin.collector.host.root-prefix must be an absolute path (such as /host/root), was " + rootPrefix);
        }
        while (rootPrefix.endsWith("/")) { // "/host/root/" is "/host/root"; "/" alone is no prefix at all
            rootPrefix = rootPrefix.substring(0, rootPrefix.length() - 1);
        }
    }

    /** The patterns without blanks (an empty default binds as one empty string). */
    private static List<String> clean(List<String> patterns) {
        return patterns == null ? List.of() : patterns.stream().map(String::strip).filter(p -> !p.isEmpty()).toList();
    }
}
