package io.tocsin.cloud.backup;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.ReadableBytes;

/**
 * The backups API's settings ({@code tocsin.cloud.backups.*}).
 *
 * @param maxSize the largest file one upload may carry (e.g. {@code 100GB}); a larger one is refused with 413 and
 *                nothing is stored. The cloud service's own {@code application-cloud.yml} also raises Micronaut's
 *                {@code micronaut.server.max-request-size} and {@code micronaut.server.multipart.max-file-size} to
 *                this value, since Micronaut has no per-route limit; the other cloud endpoints keep their own
 *                body limits (the credentials API refuses bodies over 64 KiB)
 */
@ConfigurationProperties("tocsin.cloud.backups")
public record BackupSettings(@Bindable(defaultValue = "100GB") @ReadableBytes long maxSize) {

    public BackupSettings {
        if (maxSize <= 0) {
            throw new IllegalArgumentException("tocsin.cloud.backups.max-size must be positive, e.g. 100GB");
        }
    }
}
