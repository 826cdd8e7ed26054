package io.tocsin.cloud.instances;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Tocsin itself did to instances: every stop, reboot and terminate asked through the instances API, with its
 * time, kept in memory. The instance watcher consults it to tell a state change Tocsin caused from one made
 * "behind Tocsin's back" (in the provider's console, by a script, by the provider): an instance that left
 * {@code running} with no Tocsin action on it since it was last seen running raises an alarm.
 *
 * <p>An action is recorded <em>before</em> the provider is asked (so that a watcher polling meanwhile already sees
 * it) and {@linkplain #forget forgotten} when the provider refuses it (then nothing happened). Entries older than
 * the retention (24 hours) and all but the last {@value #PER_INSTANCE} of one instance are dropped.
 *
 * <p>In memory and per process: after a restart, or on another cloud-service instance, earlier actions are unknown.
 * The watcher and the API run in the same process, which is what this serves. Thread-safe (one lock: a few
 * actions a minute at most).
 */
@Singleton
public class InstanceActions {

    static final int PER_INSTANCE = 16;
    static final Duration DEFAULT_RETENTION = Duration.ofHours(24);

    /** What Tocsin can do to an instance; {@link #apiName} is the path segment and the API's word. */
    public enum Action {
        STOP, REBOOT, TERMINATE;

        public String apiName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One action Tocsin took.
     *
     * @param credentialId the credential it was taken with (instance ids are unique only within a provider account)
     * @param instanceId   the provider's instance id
     * @param location     the location the API was given (AWS region, Google Cloud zone, Azure location); null: the
     *                     credential's default. A Compute Engine name is unique only in its zone, so this tells
     *                     same-named instances apart ({@link #covers})
     * @param action       what was asked
     * @param at           when it was asked (just before the provider call)
     */
    public record Entry(String credentialId, String instanceId, String location, Action action, Instant at) {

        /**
         * Whether this action was on the instance listed at {@code instanceLocation}, ignoring case: any when either
         * location is unknown; otherwise the instance's location is the action's, or a zone inside it (AWS region
         * {@code eu-west-1} holds {@code eu-west-1a} and Local Zone {@code us-west-2-lax-1a}; Azure's {@code eastus}
         * does not hold {@code eastus2}: a zone's name goes on with a letter or a hyphen, never a digit).
         */
        public boolean covers(String instanceLocation) {
            if (location == null || instanceLocation == null) {
                return true;
            }
            String action = location.toLowerCase(java.util.Locale.ROOT);
            String listed = instanceLocation.toLowerCase(java.util.Locale.ROOT);
            return listed.equals(action) || listed.startsWith(action) && !Character.isDigit(listed.charAt(action.length()));
        }
    }

    private final Clock clock;
    private final Duration retention;
    private final Map<Key, Deque<Entry>> entries = new HashMap<>();

    @Inject
    public InstanceActions() {
        this(Clock.systemUTC(), DEFAULT_RETENTION);
    }

    InstanceActions(Clock clock, Duration retention) {
        this.clock = clock;
        this.retention = retention;
    }

    /** As {@link #record(String, String, String, Action)} at the credential's default location. */
    public Entry record(String credentialId, String instanceId, Action action) {
        return record(credentialId, instanceId, null, action);
    }

    /**
     * Records that Tocsin is about to take {@code action} on the instance at {@code location} (null: the credential's
     * default); the entry to {@link #forget} if it fails.
     */
    public synchronized Entry record(String credentialId, String instanceId, String location, Action action) {
        prune();
        Entry entry = new Entry(credentialId, instanceId, location, action, clock.instant());
        Deque<Entry> kept = entries.computeIfAbsent(new Key(credentialId, instanceId), key -> new ArrayDeque<>());
        kept.addLast(entry);
        while (kept.size() > PER_INSTANCE) {
            kept.removeFirst();
        }
        return entry;
    }

    /** Takes back an entry whose action the provider refused. */
    public synchronized void forget(Entry entry) {
        Key key = new Key(entry.credentialId(), entry.instanceId());
        Deque<Entry> kept = entries.get(key);
        if (kept != null && kept.remove(entry) && kept.isEmpty()) {
            entries.remove(key);
        }
    }

    /** The actions on the instance at or after {@code since}, oldest first. */
    public synchronized List<Entry> since(String credentialId, String instanceId, Instant since) {
        Deque<Entry> kept = entries.get(new Key(credentialId, instanceId));
        return kept == null ? List.of() : kept.stream().filter(entry -> !entry.at().isBefore(since)).toList();
    }

    /** The last action on the instance, if one is still kept. */
    public synchronized Optional<Entry> latest(String credentialId, String instanceId) {
        Deque<Entry> kept = entries.get(new Key(credentialId, instanceId));
        return kept == null ? Optional.empty() : Optional.of(kept.getLast());
    }

    /** Drops what is older than the retention, so that the map does not grow with every instance ever touched. */
    private void prune() {
        Instant oldest = clock.instant().minus(retention);
        entries.values().removeIf(kept -> {
            kept.removeIf(entry -> entry.at().isBefore(oldest));
            return kept.isEmpty();
        });
    }

    private record Key(String credentialId, String instanceId) {
    }
}
