package io.tocsin.collector.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The include/exclude globs over mount points and file-system types. */
class MountFilterTest {

    static List<String> split(String patterns) {
        return patterns.isEmpty() ? List.of() : Arrays.asList(patterns.split(","));
    }

    static MountFilter filter(String include, String exclude, String types) {
        return new MountFilter(split(include), split(exclude), split(types));
    }

    @Test
    void defaultsSkipPseudoAndImageFileSystemsButNeverTheRoot() {
        MountFilter defaults = filter("", "", HostCollectorSettings.DEFAULT_EXCLUDED_FS_TYPES);
        assertThat(defaults.reports("/", "ext4")).isTrue();
        assertThat(defaults.reports("/var/lib/mysql", "xfs")).isTrue();
        assertThat(defaults.reports("/", "overlay")).as("a container's root").isTrue();
        assertThat(defaults.reports("/var/lib/docker/overlay2/abc/merged", "overlay")).isFalse();
        assertThat(defaults.reports("/proc", "proc")).isFalse();
        assertThat(defaults.reports("/sys/fs/cgroup/memory", "cgroup")).isFalse();
        assertThat(defaults.reports("/sys/fs/cgroup/unified", "cgroup2")).isFalse();
        assertThat(defaults.reports("/dev/shm", "tmpfs")).isFalse();
        assertThat(defaults.reports("/snap/core/1", "squashfs")).isFalse();
        assertThat(defaults.reports("/var/lib/lxcfs", "fuse.lxcfs")).isFalse();
    }

    @Test
    void includesRestrictAndExcludesWin() {
        MountFilter filter = filter("/,/var/**,/data?", "/var/tmp/**", "");
        assertThat(filter.reports("/", "ext4")).isTrue();
        assertThat(filter.reports("/var/lib/mysql", "ext4")).as("** crosses segments").isTrue();
        assertThat(filter.reports("/var", "ext4")).as("/var/** needs something below /var").isFalse();
        assertThat(filter.reports("/data1", "ext4")).isTrue();
        assertThat(filter.reports("/data12", "ext4")).as("? is one character").isFalse();
        assertThat(filter.reports("/home", "ext4")).as("not included").isFalse();
        assertThat(filter.reports("/var/tmp/x", "ext4")).as("exclude wins").isFalse();

        MountFilter oneSegment = filter("/mnt/*", "", "");
        assertThat(oneSegment.reports("/mnt/backup", "nfs4")).isTrue();
        assertThat(oneSegment.reports("/mnt/backup/daily", "nfs4")).as("* stays within a segment").isFalse();
    }

    @Test
    void typeGlobsAndLiteralCharacters() {
        MountFilter filter = filter("", "/srv/a+b (1)", "ext*,fuse.*");
        assertThat(filter.reports("/srv/a+b (1)", "xfs")).as("regex characters are literal").isFalse();
        assertThat(filter.reports("/srv/a+bb (1)", "xfs")).isTrue();
        assertThat(filter.reports("/home", "ext4")).isFalse();
        assertThat(filter.reports("/mnt/s", "fuse.sshfs")).isFalse();
        assertThat(filter.reports("/", "ext4")).as("the root is reported whatever its type").isTrue();
        assertThat(filter("", "/", "").reports("/", "ext4")).as("unless its mount point is excluded").isFalse();
    }

    @Test
    void aRootPrefixNamesMountPointsAsTheHostDoesAndDropsTheContainersOwn() {
        MountFilter filter = new MountFilter("/host/root", List.of(), split("/var/lib/kubelet/**"), split(HostCollectorSettings.DEFAULT_EXCLUDED_FS_TYPES));
        assertThat(filter.reportedAs("/host/root", "ext4")).as("the prefix itself is the host's root").contains("/");
        assertThat(filter.reportedAs("/host/root/data", "xfs")).contains("/data");
        assertThat(filter.reportedAs("/host/rootfs", "ext4")).as("a sibling that merely starts alike").isEmpty();
        assertThat(filter.reportedAs("/", "overlay")).as("the container's own root").isEmpty();
        assertThat(filter.reportedAs("/etc/hosts", "ext4")).as("the container's own mounts").isEmpty();
        // The globs and the root's exemption from the type filter apply to the host's names.
        assertThat(filter.reportedAs("/host/root/var/lib/kubelet/pods/x/volumes/y", "ext4")).isEmpty();
        assertThat(filter.reportedAs("/host/root/boot/efi", "vfat")).contains("/boot/efi");
        assertThat(new MountFilter("/host/root", List.of(), List.of(), List.of("overlay")).reportedAs("/host/root", "overlay")).contains("/");
        assertThat(new MountFilter("/host/root", split("/data/**"), List.of(), List.of()).reportedAs("/host/root/data/a", "ext4")).contains("/data/a");
        assertThat(new MountFilter("/host/root", split("/host/root/**"), List.of(), List.of()).reportedAs("/host/root/data", "ext4"))
                .as("a glob over the container's name matches nothing").isEmpty();
    }

    @Test
    void theSettingIsNormalisedAndMustBeAbsolute() {
        assertThat(settings("/host/root/").rootPrefix()).isEqualTo("/host/root");
        assertThat(settings("/").rootPrefix()).as("the root itself is no prefix").isEmpty();
        assertThat(settings(" ").rootPrefix()).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> settings("host/root")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tocsin.collector.host.root-prefix must be an absolute path (such as /host/root), was host/root");
    }

    private static HostCollectorSettings settings(String rootPrefix) {
        return new HostCollectorSettings(true, java.time.Duration.ofSeconds(1), List.of(), List.of(), List.of(), false, rootPrefix);
    }
}
