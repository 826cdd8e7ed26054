package io.tocsin.cloud.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tocsin.cloud.alarms.RawAlarmPublisher;
import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.credentials.CredentialService;
import io.tocsin.cloud.credentials.Provider;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.cloud.provider.CloudProvider;
import io.tocsin.cloud.provider.Instance;
import io.tocsin.cloud.provider.InstanceState;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The watcher's memory, poll by poll (driven by {@link InstanceWatcher#poll}, no thread, no Kafka): what the first
 * poll does, a raise or clear Kafka did not acknowledge being published again, an in-between state keeping the
 * instance's running past, a failed list making nothing gone, and per-location lists.
 */
class InstanceWatcherStateTest {

    final CloudCredential credential = new CloudCredential("cred-1", Provider.AWS, "aws-prod", "", "eu-west-1", Map.of(),
            Instant.now(), Instant.now());
    List<Instance> listed = List.of();
    RuntimeException listFailure;
    final List<String> asked = new ArrayList<>();
    final List<RawAlarm> published = new ArrayList<>();
    int refuse;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    final CloudProvider provider = new CloudProvider() {
        @Override
        public Provider provider() {
            return Provider.AWS;
        }

        @Override
        public Verification verify(CloudCredential credential) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Instance> instances(CloudCredential credential, String location) {
            asked.add(String.valueOf(location));
            if (listFailure != null) {
                throw listFailure;
            }
            return listed;
        }

        @Override
        public void stop(CloudCredential credential, String location, String instanceId) {
        }

        @Override
        public void reboot(CloudCredential credential, String location, String instanceId) {
        }

        @Override
        public void terminate(CloudCredential credential, String location, String instanceId) {
        }
    };

    InstanceWatcher watcher(Map<String, List<String>> locations) {
        CredentialService credentials = new CredentialService(null, null, List.of(provider)) {
            @Override
            public List<CloudCredential> list() {
                return List.of(credential);
            }
        };
        RawAlarmPublisher publisher = new RawAlarmPublisher((org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>) null, null) {
            @Override
            public Published publish(RawAlarm alarm) {
                if (refuse > 0) {
                    refuse--;
                    return new Published(false, "test refusal");
                }
                published.add(alarm);
                return new Published(true, null);
            }
        };
        return new InstanceWatcher(new WatcherSettings(true, Duration.ofSeconds(60), List.of("aws-prod"), locations), credentials,
                (credentialId, instanceId, location, since) -> false, publisher, meters);
    }

    static Instance instance(String id, InstanceState state) {
        return new Instance(id, "", state, state.name().toLowerCase(), "t3.micro", "eu-west-1a", List.of("10.0.0.7"), List.of());
    }

    @Test
    void theFirstPollOnlyRecordsAndAnUnacknowledgedRaiseOrClearIsPublishedAgain() {
        InstanceWatcher watcher = watcher(null);
        listed = List.of(instance("i-1", InstanceState.STOPPED), instance("i-2", InstanceState.RUNNING));
        watcher.poll();
        assertThat(published).as("an instance already stopped at the first poll").isEmpty();

        listed = List.of(instance("i-1", InstanceState.STOPPED), instance("i-2", InstanceState.STOPPED));
        refuse = 1;
        watcher.poll();
        assertThat(published).isEmpty();
        watcher.poll();
        assertThat(published).extracting(RawAlarm::getState).containsExactly(RawAlarmState.RAISED);
        RawAlarm raised = published.getFirst();
        assertThat(raised.getHostname()).as("no name: the private address").isEqualTo("10.0.0.7");
        assertThat(raised.getAlarmId()).isEqualTo(WatcherAlarms.alarmId("cred-1", instance("i-2", InstanceState.STOPPED)));
        watcher.poll();
        assertThat(published).as("raised once").hasSize(1);

        listed = List.of(instance("i-1", InstanceState.STOPPED), instance("i-2", InstanceState.RUNNING));
        refuse = 1;
        watcher.poll();
        assertThat(published).hasSize(1);
        watcher.poll();
        assertThat(published).extracting(RawAlarm::getState).containsExactly(RawAlarmState.RAISED, RawAlarmState.CLEARED);
        watcher.poll();
        assertThat(published).hasSize(2);
        assertThat(meters.counter("tocsin.cloud.watcher.publish.failures").count()).isEqualTo(2);
        assertThat(meters.counter("tocsin.cloud.watcher.alarms", "state", "raised").count()).isEqualTo(1);
    }

    @Test
    void pendingKeepsTheRunningPastAndAFailedListMakesNothingGone() {
        InstanceWatcher watcher = watcher(null);
        listed = List.of(instance("i-1", InstanceState.RUNNING));
        watcher.poll();
        listed = List.of(instance("i-1", InstanceState.PENDING));
        watcher.poll();
        listFailure = new CloudException(CloudException.Kind.UNAVAILABLE, "EC2 answered 503", null);
        watcher.poll();
        watcher.poll();
        assertThat(published).isEmpty();
        assertThat(meters.counter("tocsin.cloud.watcher.polls", "provider", "aws", "outcome", "failed").count()).isEqualTo(2);

        listFailure = null;
        listed = List.of(instance("i-1", InstanceState.STOPPING));
        watcher.poll();
        assertThat(published).extracting(RawAlarm::getState).containsExactly(RawAlarmState.RAISED);
        assertThat(published.getFirst().getTitle()).contains("stopping");
    }

    @Test
    void eachConfiguredLocationIsListedAndAnInstanceIsGoneOnlyFromItsOwnList() {
        InstanceWatcher watcher = watcher(Map.of("aws-prod", List.of("eu-west-1", "us-east-1")));
        listed = List.of(instance("i-1", InstanceState.RUNNING));
        watcher.poll();
        assertThat(asked).containsExactly("eu-west-1", "us-east-1");
        assertThat(published).as("i-1 is in both lists here, so neither finds it gone").isEmpty();
        listed = List.of();
        watcher.poll();
        assertThat(published).extracting(RawAlarm::getState).containsExactly(RawAlarmState.RAISED);
        assertThat(published.getFirst().getTitle()).contains("is gone");
    }

    @Test
    void sameNamedInstancesInTwoZonesAreTwoInstances() {
        // Compute Engine names are unique per zone only: "web" running in one zone and stopped in another.
        InstanceWatcher watcher = watcher(null);
        Instance runningA = new Instance("web", "web", InstanceState.RUNNING, "RUNNING", "e2-small", "europe-west1-b", List.of(), List.of());
        Instance stoppedB = new Instance("web", "web", InstanceState.TERMINATED, "TERMINATED", "e2-small", "europe-west1-c", List.of(), List.of());
        Instance runningB = new Instance("web", "web", InstanceState.RUNNING, "RUNNING", "e2-small", "europe-west1-c", List.of(), List.of());
        listed = List.of(runningA, stoppedB);
        watcher.poll();
        watcher.poll();
        watcher.poll();
        assertThat(published).as("zone c's was never seen running; zone a's still runs").isEmpty();

        listed = List.of(runningA, runningB);
        watcher.poll();
        listed = List.of(runningA, stoppedB);
        watcher.poll();
        watcher.poll();
        assertThat(published).extracting(RawAlarm::getState).containsExactly(RawAlarmState.RAISED);
        assertThat(published.getFirst().getAlarmId()).isEqualTo(WatcherAlarms.alarmId("cred-1", stoppedB))
                .isNotEqualTo(WatcherAlarms.alarmId("cred-1", runningA));
        assertThat(published.getFirst().getLabels()).containsEntry("location", "europe-west1-c");
    }
}
