package io.tocsin.cloud.backup.policy;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of one policy's directory and whether each is complete. Backup tools write a file for a while (and
 * some rename it at the end, which {@code exclude} of their temporary names covers), so a file is complete once
 * its size and modification time stayed the same for {@code settle}: measured from when this scan first saw them
 * so, or, for a file seen unchanged by two scans, from its modification time (a file written long before the
 * service started is not made to wait again).
 *
 * <p>Symbolic links are never followed, neither to files nor to directories, so nothing outside the directory is
 * read. A file or directory that cannot be read is skipped, logged once. Not thread-safe: the scanner's thread only.
 */
final class DirectoryScan {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryScan.class);

    /** A matching, complete file; {@code modified} in epoch milliseconds. */
    record Candidate(Path path, String key, long size, long modified) {
    }

    private record Observed(long size, long modified, long since, boolean again) {
    }

    private final BackupPolicy policy;
    private final Set<String> warned;
    private Map<Path, Observed> observed = new HashMap<>();

    DirectoryScan(BackupPolicy policy, Set<String> warned) {
        this.policy = policy;
        this.warned = warned;
    }

    /** Walks the directory; answers its complete matching files, oldest first. */
    List<Candidate> settled(long nowNanos, long nowMillis) {
        Map<Path, Observed> seen = new HashMap<>();
        List<Candidate> complete = new ArrayList<>();
        Path root;
        try {
            root = Path.of(policy.directory()).toRealPath(); // the directory itself may be a link (a mount point)
        } catch (IOException e) {
            warnOnce("root:" + policy.directory(), "Backup policy {}: directory {} cannot be read ({}); nothing is uploaded",
                    policy.directory(), e.toString());
            return List.of();
        }
        try {
            // No FOLLOW_LINKS: a link is visited as itself (neither a regular file nor a directory) and skipped.
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (!attributes.isRegularFile()) {
                        return FileVisitResult.CONTINUE;
                    }
                    Path relative = root.relativize(file);
                    if (!policy.matches(relative)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (!Files.isReadable(file)) {
                        warnOnce("read:" + file, "Backup policy {}: {} is not readable{}; skipped", file, "");
                        return FileVisitResult.CONTINUE;
                    }
                    long size = attributes.size();
                    long modified = attributes.lastModifiedTime().toMillis();
                    Observed before = observed.get(file);
                    Observed now = before != null && before.size() == size && before.modified() == modified
                            ? new Observed(size, modified, before.since(), true) : new Observed(size, modified, nowNanos, false);
                    seen.put(file, now);
                    long settle = policy.settle().toMillis();
                    boolean quiet = (nowNanos - now.since()) / 1_000_000 >= settle || now.again() && nowMillis - modified >= settle;
                    if (quiet) {
                        complete.add(new Candidate(file, policy.key(relative), size, modified));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    warnOnce("read:" + file, "Backup policy {}: {} cannot be read ({}); skipped", file, e.toString());
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            warnOnce("walk:" + root, "Backup policy {}: scanning {} failed ({})", root, e.toString());
        }
        observed = seen; // files gone are forgotten
        complete.sort(Comparator.comparingLong(Candidate::modified).thenComparing(Candidate::key));
        return complete;
    }

    private void warnOnce(String what, String message, Object first, Object second) {
        if (warned.add(what)) {
            LOG.warn(message, policy.name(), first, second);
        }
    }
}
