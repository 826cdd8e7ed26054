package io.tocsin.cloud.watcher;

import io.tocsin.cloud.instances.InstanceActions;
import jakarta.inject.Singleton;
import java.time.Instant;

/**
 * {@link TocsinActions} as the instances API records them ({@link InstanceActions}: every stop, reboot and terminate
 * asked through it, recorded before the provider is asked, for 24 hours, in this process only). After a restart the
 * earlier actions are unknown; so is the watcher's memory, whose first poll only records states.
 */
@Singleton
public class InstanceApiActions implements TocsinActions {

    private final InstanceActions actions;

    public InstanceApiActions(InstanceActions actions) {
        this.actions = actions;
    }

    @Override
    public boolean actedOn(String credentialId, String instanceId, String location, Instant since) {
        return actions.since(credentialId, instanceId, since).stream().anyMatch(entry -> entry.covers(location));
    }
}
