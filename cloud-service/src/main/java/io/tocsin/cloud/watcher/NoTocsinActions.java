package io.tocsin.cloud.watcher;

import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;
import java.time.Instant;

/** The default {@link TocsinActions} while no instances API records actions: Tocsin took none, so every stop alarms. */
@Singleton
@Secondary
public class NoTocsinActions implements TocsinActions {

    @Override
    public boolean actedOn(String credentialId, String instanceId, Instant since) {
        return false;
    }
}
