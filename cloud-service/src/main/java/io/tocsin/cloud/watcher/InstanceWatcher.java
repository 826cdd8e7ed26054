package io.tocsin.cloud.watcher;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.tocsin.cloud.alarms.RawAlarmPublisher;
import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.credentials.CredentialService;
import io.tocsin.cloud.provider.CloudProvider;
import io.tocsin.cloud.provider.Instance;
import io.tocsin.cloud.provider.InstanceState;
import io.tocsin.schema.RawAlarm;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the instances of the credentials named in {@code tocsin.cloud.watcher.credentials} and raises
 * {@value WatcherAlarms#TYPE} (Host, Critical) on {@code tocsin.raw.alarms} when an instance seen {@code RUNNING} is
 * then stopping, stopped, terminated or gone without a Tocsin action on it ({@link TocsinActions}); the alarm is
 * cleared when the instance is seen running again.
 *
 * <p>One platform thread polls, one poll at a time, {@code interval} after the previous one ended. Memory is per
 * (credential id, instance id) and starts empty: the first poll after a start only records states (an instance
 * already stopped raises nothing; an alarm raised before the restart clears when the instance runs again only if the
 * watcher saw it stopped in the meantime). The remembered state moves only once Kafka acknowledged the raise or clear,
 * so a failed publish is retried at the next poll (the rules service deduplicates a repeated raise).
 *
 * <p>Error contract: nothing a provider, the credential store or Kafka does stops the loop. A failing list call
 * (a {@code CloudException}, an unknown credential, a missing adapter) is counted in
 * {@code tocsin.cloud.watcher.polls{outcome=failed}} and logged once per failure streak (at WARN; its recovery at
 * INFO). A raise or clear Kafka did not acknowledge within {@link RawAlarmPublisher#ACK_TIMEOUT} (a result of
 * {@link RawAlarmPublisher#publish}, never an exception) leaves the memory as it was, so the next poll publishes it
 * again; counted in {@code tocsin.cloud.watcher.publish.failures}, logged once per streak. Provider calls are
 * bounded by the adapters' own timeouts; a slow one delays the next poll, never overlaps it.
 */
@Context
@Requires(property = "tocsin.cloud.watcher.enabled", notEquals = "false")
public class InstanceWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceWatcher.class);
    private static final Set<InstanceState> STOPPED = Set.of(InstanceState.STOPPING, InstanceState.STOPPED, InstanceState.TERMINATED);

    /**
     * What the watcher remembers of an instance.
     *
     * @param scope       the location whose list showed it (null: the credential's default), where its absence counts
     * @param instance    as last listed
     * @param lastRunning when it was last seen running with no alarm raised since; null once it left running
     * @param raised      a raise Kafka acknowledged and no clear yet
     */
    record Seen(String scope, Instance instance, Instant lastRunning, boolean raised) {
    }

    /** An instance of a credential: {@code identity} is its location and id ({@link WatcherAlarms#identity}). */
    private record Key(String credentialId, String identity) {
    }

    private final WatcherSettings settings;
    private final CredentialService credentials;
    private final TocsinActions actions;
    private final RawAlarmPublisher publisher;
    private final MeterRegistry meters;
    private final Map<Key, Seen> memory = new HashMap<>();
    private final Set<String> failing = new HashSet<>();
    private final Counter raisedCount;
    private final Counter clearedCount;
    private final Counter publishFailures;
    private volatile boolean running;
    private volatile Thread thread;

    public InstanceWatcher(WatcherSettings settings, CredentialService credentials, TocsinActions actions, RawAlarmPublisher publisher,
                           MeterRegistry meters) {
        this.settings = settings;
        this.credentials = credentials;
        this.actions = actions;
        this.publisher = publisher;
        this.meters = meters;
        this.raisedCount = Counter.builder("tocsin.cloud.watcher.alarms").tag("state", "raised")
                .description("Instance alarms raised or cleared that Kafka acknowledged").register(meters);
        this.clearedCount = Counter.builder("tocsin.cloud.watcher.alarms").tag("state", "cleared")
                .description("Instance alarms raised or cleared that Kafka acknowledged").register(meters);
        this.publishFailures = Counter.builder("tocsin.cloud.watcher.publish.failures")
                .description("Raises and clears Kafka did not acknowledge (published again at the next poll)").register(meters);
    }

    @PostConstruct
    void start() {
        if (settings.credentials().isEmpty()) {
            LOG.info("Instance watcher: no credentials to watch (tocsin.cloud.watcher.credentials is empty)");
            return;
        }
        LOG.info("Instance watcher: polling the instances of {} every {}", settings.credentials(), settings.interval());
        // Set before the start: the loop runs while it is true, and a loop that tested the thread field instead could
        // run before start() returned and the field was set, and end at once (seen: a watcher that never polled).
        running = true;
        // A platform thread: a long-lived poller gains nothing from being virtual.
        thread = Thread.ofPlatform().daemon().name("tocsin-cloud-watcher").start(this::loop);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        Thread poller = thread;
        thread = null;
        if (poller != null) {
            poller.interrupt();
            poller.join(5_000);
        }
    }

    private void loop() {
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                poll();
            } catch (RuntimeException e) { // a bug must not end the watching
                LOG.error("Instance watcher poll failed unexpectedly; polling again in {}", settings.interval(), e);
            }
            try {
                Thread.sleep(settings.interval());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One poll of every watched credential and location (package-private: a test may drive it). */
    void poll() {
        for (String entry : settings.credentials()) {
            Optional<CloudCredential> credential = resolve(entry);
            if (credential.isEmpty()) {
                continue;
            }
            for (String location : settings.locationsOf(entry, credential.get().id(), credential.get().name())) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                pollOne(credential.get(), location);
            }
        }
    }

    private Optional<CloudCredential> resolve(String entry) {
        String streak = "finding credential " + entry;
        try {
            List<CloudCredential> all = credentials.list();
            Optional<CloudCredential> found = all.stream().filter(c -> c.id().equals(entry)).findFirst()
                    .or(() -> all.stream().filter(c -> entry.equals(c.name())).findFirst());
            if (found.isEmpty()) {
                failed(streak, "unknown", "no stored cloud credential has the id or name '" + entry
                        + "' (tocsin.cloud.watcher.credentials); its instances are not watched");
            } else {
                recovered(streak);
            }
            return found;
        } catch (RuntimeException e) {
            failed(streak, "unknown", "the credentials could not be read: " + e.getMessage());
            return Optional.empty();
        }
    }

    private void pollOne(CloudCredential credential, String location) {
        String provider = credential.provider().apiName();
        String where = location == null ? "its default location" : location;
        String streak = "listing the instances of credential " + credential.name() + " (" + provider + ") at " + where;
        Instant now = Instant.now();
        List<Instance> listed;
        try {
            CloudProvider adapter = credentials.provider(credential.provider());
            listed = adapter.instances(credential, location);
        } catch (RuntimeException e) { // CloudException by contract; ProblemException 501 without an adapter
            failed(streak, provider, streak + " failed: " + e.getMessage());
            return;
        }
        recovered(streak);
        meters.counter("tocsin.cloud.watcher.polls", "provider", provider, "outcome", "ok").increment();
        Set<String> present = new HashSet<>();
        for (Instance instance : listed) {
            present.add(WatcherAlarms.identity(instance));
            observe(credential, location, instance, now);
        }
        // An instance this location listed before and lists no more was deleted (or moved): gone, like terminated.
        List<Map.Entry<Key, Seen>> gone = memory.entrySet().stream()
                .filter(e -> e.getKey().credentialId().equals(credential.id()) && java.util.Objects.equals(e.getValue().scope(), location)
                        && !present.contains(e.getKey().identity())).toList();
        for (Map.Entry<Key, Seen> entry : gone) {
            Seen seen = entry.getValue();
            if (seen.lastRunning() != null && !seen.raised()) {
                leftRunning(credential, seen, seen.instance(), "gone", now, entry.getKey());
            } else if (!seen.raised()) {
                memory.remove(entry.getKey()); // nothing open about it: forget it
            } // raised: kept, so that the alarm clears if it is listed running again
        }
    }

    private void observe(CloudCredential credential, String location, Instance instance, Instant now) {
        Key key = new Key(credential.id(), WatcherAlarms.identity(instance));
        Seen seen = memory.get(key);
        if (instance.state() == InstanceState.RUNNING) {
            if (seen != null && seen.raised() && !publish(WatcherAlarms.cleared(credential, instance, now), clearedCount)) {
                memory.put(key, new Seen(location, instance, null, true)); // clear again at the next poll
                return;
            }
            memory.put(key, new Seen(location, instance, now, false));
        } else if (STOPPED.contains(instance.state()) && seen != null && seen.lastRunning() != null && !seen.raised()) {
            leftRunning(credential, seen, instance, instance.providerState(), now, key);
        } else { // first sight, still stopped, or in between (PENDING, UNKNOWN): keep what is known
            memory.put(key, seen == null ? new Seen(location, instance, null, false)
                    : new Seen(location, instance, STOPPED.contains(instance.state()) ? null : seen.lastRunning(), seen.raised()));
        }
    }

    /**
     * An instance seen running is stopped or gone: an alarm unless Tocsin acted on it. An action counts from one
     * interval before it was last seen running, since a stop takes effect a while after the call.
     */
    private void leftRunning(CloudCredential credential, Seen seen, Instance instance, String state, Instant now, Key key) {
        Instant since = seen.lastRunning().minus(settings.interval());
        if (actions.actedOn(credential.id(), instance.id(), instance.location(), since)) {
            LOG.info("Instance {} of credential {} is {} after a Tocsin action: no alarm", instance.id(), credential.name(), state);
            memory.put(key, new Seen(seen.scope(), instance, null, false));
            return;
        }
        if (publish(WatcherAlarms.raised(credential, instance, state, now), raisedCount)) {
            memory.put(key, new Seen(seen.scope(), instance, null, true));
        } // else: memory unchanged (last seen running), so the next poll raises again
    }

    private boolean publish(RawAlarm alarm, Counter acknowledged) {
        RawAlarmPublisher.Published published = publisher.publish(alarm);
        if (published.acknowledged()) {
            acknowledged.increment();
            recovered("kafka");
            return true;
        }
        publishFailures.increment();
        if (failing.add("kafka")) {
            LOG.warn("Instance watcher: Kafka did not acknowledge {} {} ({}); published again at the next poll",
                    alarm.getState(), alarm.getAlarmId(), published.failure());
        }
        return false;
    }

    private void failed(String streak, String provider, String message) {
        meters.counter("tocsin.cloud.watcher.polls", "provider", provider, "outcome", "failed").increment();
        if (failing.add(streak)) {
            LOG.warn("Instance watcher: {}; trying again every {} (logged once until it works)", message, settings.interval());
        }
    }

    private void recovered(String streak) {
        if (failing.remove(streak)) {
            LOG.info("Instance watcher: {} works again", streak.equals("kafka") ? "publishing to Kafka" : streak);
        }
    }
}
