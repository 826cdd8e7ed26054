package io.tocsin.cloud.instances;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.cloud.instances.InstanceActions.Action;
import io.tocsin.cloud.instances.InstanceActions.Entry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** What the watcher will ask: which actions Tocsin took on an instance, since when; refused ones forgotten; bounded. */
class InstanceActionsTest {

    Instant now = Instant.parse("2026-03-01T10:00:00Z");
    final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    };
    final InstanceActions actions = new InstanceActions(clock, Duration.ofHours(1));

    @Test
    void actionsAreFoundByCredentialInstanceAndTime() {
        Instant start = now;
        Entry stop = actions.record("cred-1", "i-1", Action.STOP);
        now = now.plusSeconds(30);
        Entry reboot = actions.record("cred-1", "i-1", Action.REBOOT);
        actions.record("cred-2", "i-1", Action.TERMINATE);

        assertThat(stop).isEqualTo(new Entry("cred-1", "i-1", null, Action.STOP, start));
        assertThat(actions.since("cred-1", "i-1", start)).containsExactly(stop, reboot);
        assertThat(actions.since("cred-1", "i-1", start.plusSeconds(1))).containsExactly(reboot);
        assertThat(actions.latest("cred-1", "i-1")).contains(reboot);
        assertThat(actions.latest("cred-2", "i-1")).map(Entry::action).contains(Action.TERMINATE);
        assertThat(actions.latest("cred-1", "i-2")).isEmpty();
        assertThat(actions.since("cred-1", "i-2", start)).isEmpty();
        assertThat(Action.TERMINATE.apiName()).isEqualTo("terminate");
    }

    @Test
    void aRefusedActionIsForgotten() {
        Entry kept = actions.record("c", "i-1", Action.STOP);
        Entry refused = actions.record("c", "i-1", Action.STOP);
        actions.forget(refused);
        assertThat(actions.since("c", "i-1", Instant.MIN)).containsExactly(kept);
        actions.forget(kept);
        assertThat(actions.latest("c", "i-1")).isEmpty();
    }

    @Test
    void oldActionsAndAllButTheLastOfOneInstanceAreDropped() {
        actions.record("c", "old", Action.STOP);
        now = now.plus(Duration.ofMinutes(61));
        for (int i = 0; i < InstanceActions.PER_INSTANCE + 5; i++) {
            actions.record("c", "busy", Action.REBOOT);
        }
        assertThat(actions.latest("c", "old")).as("older than the retention").isEmpty();
        assertThat(actions.since("c", "busy", Instant.MIN)).hasSize(InstanceActions.PER_INSTANCE);
    }

    @Test
    void anActionCoversTheInstancesOfItsLocationOnly() {
        Entry zoneA = actions.record("gcp", "web", "europe-west1-b", Action.STOP);
        assertThat(zoneA.covers("europe-west1-b")).isTrue();
        assertThat(zoneA.covers("europe-west1-c")).as("a same-named instance in another zone").isFalse();
        assertThat(zoneA.covers(null)).isTrue();

        Entry region = actions.record("aws", "i-1", "eu-west-1", Action.STOP);
        assertThat(region.covers("eu-west-1a")).as("an AWS region holds its zones").isTrue();
        assertThat(region.covers("us-east-1a")).isFalse();
        assertThat(region.covers("us-west-2-lax-1a")).isFalse();
        assertThat(region.covers("EU-WEST-1A")).as("case does not matter").isTrue();
        Entry azure = actions.record("azure", "vm-1", "eastus", Action.STOP);
        assertThat(azure.covers("EastUS")).isTrue();
        assertThat(azure.covers("eastus2")).as("another Azure region, not a zone of eastus").isFalse();
        assertThat(actions.record("aws", "i-2", Action.STOP).covers("us-east-1a")).as("the default location: unknown, any").isTrue();

        io.tocsin.cloud.watcher.InstanceApiActions watcherView = new io.tocsin.cloud.watcher.InstanceApiActions(actions);
        assertThat(watcherView.actedOn("gcp", "web", "europe-west1-b", Instant.MIN)).isTrue();
        assertThat(watcherView.actedOn("gcp", "web", "europe-west1-c", Instant.MIN)).isFalse();
    }
}
