package io.tocsin.cloud.backup;

import io.tocsin.schema.wire.FieldError;
import java.util.List;

/**
 * The checks on a backup's object key and bucket before anything is sent to a provider. A key is a path inside the
 * bucket: relative, without {@code ..} segments, control characters or backslashes, at most 1024 bytes (the limit
 * S3, Cloud Storage and Azure Blob share: https://cloud.google.com/storage/docs/objects#naming). When no key is
 * given the file's name is used, reduced to its last path segment and to characters that are safe everywhere.
 */
final class BackupKeys {

    static final int MAX_KEY_BYTES = 1024;

    private BackupKeys() {
    }

    /** The problems of {@code key} as field {@code field}, none when it can be used. */
    static List<FieldError> check(String field, String key) {
        if (key == null || key.isEmpty()) {
            return List.of(new FieldError(field, "is required"));
        }
        if (key.startsWith("/") || key.matches("^[A-Za-z]:.*")) {
            return List.of(new FieldError(field, "must be a relative path inside the bucket, not an absolute one"));
        }
        if (key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return List.of(new FieldError(field, "must not contain control characters"));
        }
        if (key.indexOf('\\') >= 0) {
            return List.of(new FieldError(field, "must use / between path segments, not \\"));
        }
        for (String segment : key.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return List.of(new FieldError(field, "must not contain . or .. path segments"));
            }
        }
        if (key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return List.of(new FieldError(field, "is longer than " + MAX_KEY_BYTES + " bytes"));
        }
        return List.of();
    }

    /** Bucket and container names: 3 to 63 lowercase letters, digits, dots, dashes and underscores (the providers' common ground). */
    static List<FieldError> checkBucket(String bucket) {
        if (bucket == null || bucket.isEmpty()) {
            return List.of(new FieldError("bucket", "is required"));
        }
        if (!bucket.matches("[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]")) {
            return List.of(new FieldError("bucket", "must be 3 to 63 lowercase letters, digits, '.', '-' or '_', "
                    + "starting and ending with a letter or digit"));
        }
        return List.of();
    }

    /**
     * The key a file gets when the request names none: the last segment of its name (browsers and curl may send a
     * path), with anything but letters, digits and {@code . _ -} replaced by {@code _}; {@code null} when nothing
     * usable is left.
     */
    static String fromFileName(String fileName) {
        if (fileName == null) {
            return null;
        }
        String name = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.chars().allMatch(c -> c == '.') ? null : safe;
    }
}
