package io.tocsin.cloud.watcher;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The test's stand-in for the instances API's record of Tocsin's own actions. */
@Singleton
@Requires(property = "spec.name", value = "InstanceWatcherTest")
public class RecordedActions implements TocsinActions {

    private final Map<String, Instant> actions = new ConcurrentHashMap<>();

    void record(String credentialId, String instanceId) {
        actions.put(credentialId + "/" + instanceId, Instant.now());
    }

    @Override
    public boolean actedOn(String credentialId, String instanceId, Instant since) {
        Instant at = actions.get(credentialId + "/" + instanceId);
        return at != null && !at.isBefore(since);
    }
}
