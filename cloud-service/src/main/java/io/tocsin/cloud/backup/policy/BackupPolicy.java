package io.tocsin.cloud.backup.policy;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.bind.annotation.Bindable;
import io.tocsin.cloud.backup.BackupService;
import io.tocsin.schema.wire.InvalidRecordException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One upload policy, {@code tocsin.cloud.backups.policies.<name>.*} (see {@code docs/cloud.md}, "Upload policies"):
 * every new, complete file under {@code directory} that {@code include} matches and no {@code exclude} does is
 * uploaded to {@code bucket} with {@code credential}, under {@code prefix} + its path relative to the directory.
 *
 * @param name       the key under {@code tocsin.cloud.backups.policies}; the {@code policy} tag of the metrics
 * @param directory  where the backups are written (e.g. ClusterControl's backup directory, a mounted volume); must
 *                   exist when the service starts
 * @param include    glob ({@link FileSystems#getDefault()}'s {@code glob:} syntax) on the path relative to the
 *                   directory, {@code /}-separated: {@code **} every file, {@code *.gz} the top level's only,
 *                   {@code **}{@code /*.gz} those in sub-directories only
 * @param exclude    globs of files never uploaded (e.g. {@code **.tmp}, a tool's partial files)
 * @param credential id or name of the stored cloud credential
 * @param bucket     the bucket (Azure: container)
 * @param prefix     put before the relative path to make the key (e.g. {@code clustercontrol/}); empty by default
 * @param settle     a file is complete once neither its size nor its modification time changed for this long
 * @param interval   rest between the end of one scan and the start of the next
 * @param enabled    false keeps the policy configured but idle
 */
@EachProperty("tocsin.cloud.backups.policies")
public record BackupPolicy(
        @Parameter String name,
        @Bindable(defaultValue = "") String directory,
        @Bindable(defaultValue = "**") String include,
        @Bindable(defaultValue = "") List<String> exclude,
        @Bindable(defaultValue = "") String credential,
        @Bindable(defaultValue = "") String bucket,
        @Bindable(defaultValue = "") String prefix,
        @Bindable(defaultValue = "60s") Duration settle,
        @Bindable(defaultValue = "30s") Duration interval,
        @Bindable(defaultValue = "true") boolean enabled) {

    public BackupPolicy {
        directory = directory == null ? "" : directory.strip();
        include = include == null || include.isBlank() ? "**" : include.strip();
        exclude = exclude == null ? List.of() : exclude.stream().map(String::strip).filter(e -> !e.isEmpty()).toList();
        credential = credential == null ? "" : credential.strip();
        bucket = bucket == null ? "" : bucket.strip();
        prefix = prefix == null ? "" : prefix;
    }

    /** The configuration errors of this policy, each naming its key; empty when it can run. */
    public List<String> problems() {
        String at = "tocsin.cloud.backups.policies." + name + ".";
        List<String> problems = new ArrayList<>();
        if (directory.isEmpty()) {
            problems.add(at + "directory is required: the directory the backups are written to");
        } else if (!Files.isDirectory(Path.of(directory))) {
            problems.add(at + "directory '" + directory + "' does not exist or is not a directory");
        }
        if (credential.isEmpty()) {
            problems.add(at + "credential is required: the id or name of a stored cloud credential");
        }
        try {
            // The bucket's and prefix's rules are the API's (a dummy file name stands for the relative path).
            BackupService.checkUpload("c", bucket, prefix + "file", null, true);
        } catch (InvalidRecordException e) {
            e.errors().forEach(error -> problems.add(at + (error.field().equals("key") ? "prefix" : error.field()) + " " + error.message()));
        }
        for (String glob : concat(include, exclude)) {
            try {
                matcher(glob);
            } catch (IllegalArgumentException e) {
                problems.add(at + (glob.equals(include) ? "include" : "exclude") + " '" + glob + "' is not a glob: " + e.getMessage());
            }
        }
        if (!settle.isPositive() && !settle.isZero()) {
            problems.add(at + "settle must not be negative");
        }
        if (!interval.isPositive()) {
            problems.add(at + "interval must be positive");
        }
        return problems;
    }

    /** Whether the relative path {@code relative} ({@code /}-separated) is one of this policy's files. */
    boolean matches(Path relative) {
        return matcher(include).matches(relative) && exclude.stream().noneMatch(glob -> matcher(glob).matches(relative));
    }

    /** The object key of the file at {@code relative}. */
    String key(Path relative) {
        List<String> segments = new ArrayList<>();
        relative.forEach(segment -> segments.add(segment.toString()));
        return prefix + String.join("/", segments);
    }

    private static PathMatcher matcher(String glob) {
        return FileSystems.getDefault().getPathMatcher("glob:" + glob);
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }
}
