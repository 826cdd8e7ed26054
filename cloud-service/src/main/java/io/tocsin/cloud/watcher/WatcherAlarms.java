package io.tocsin.cloud.watcher;

import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.provider.Instance;
import io.tocsin.schema.AlarmKeys;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.Severity;
import io.tocsin.schema.validation.RawAlarmValidator;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The raw alarms of the watcher: {@value #TYPE} raised when an instance left {@code running} without a Tocsin action,
 * cleared when it runs again. The rules catalogue has no cloud types, so severity (CRITICAL) and component
 * ({@value #COMPONENT}) are set here, as the Pacemaker ingest does for its own types (docs/alarms.md).
 */
final class WatcherAlarms {

    static final String SOURCE = "tocsin-cloud";
    static final String TYPE = "CloudInstanceStopped";
    static final String COMPONENT = "Host";

    private WatcherAlarms() {
    }

    /**
     * Stable per (credential id, instance location, instance id): a repeated raise is deduplicated and the clear finds
     * its raise. The location is part of it because a Compute Engine instance's name, its id here, is unique only in
     * its zone.
     */
    static String alarmId(String credentialId, Instance instance) {
        return AlarmKeys.stableId(TYPE, credentialId, identity(instance));
    }

    /** What tells an instance of one credential from every other: its location and id. */
    static String identity(Instance instance) {
        return nonNull(instance.location()) + "/" + instance.id();
    }

    /**
     * The raise for {@code instance}, now in {@code state} (its provider's word, or "gone" when the list no longer
     * has it).
     */
    static RawAlarm raised(CloudCredential credential, Instance instance, String state, Instant observed) {
        String provider = credential.provider().apiName();
        String what = "Instance " + label(instance) + " (" + provider + ", credential " + credential.name() + ", " + instance.location() + ")";
        return base(credential, instance, observed).setState(RawAlarmState.RAISED)
                .setType(TYPE).setSeverity(Severity.CRITICAL).setComponent(COMPONENT)
                .setTitle(clip(what + " is " + state + " without a Tocsin action", RawAlarmValidator.MAX_TITLE))
                .setMessage(clip(what + " was running and is now " + state + ". Tocsin did not stop, reboot or terminate it "
                        + "through its instances API, so it was stopped by someone else, by the provider (maintenance, a "
                        + "preemption, a host failure) or by itself (a shutdown inside the guest).", RawAlarmValidator.MAX_MESSAGE))
                .setRecommendation(clip("Check the provider's activity or audit log for who stopped " + instance.id()
                        + " and start it again if it should run; the alarm clears when the watcher sees it running.",
                        RawAlarmValidator.MAX_TEXT))
                .build();
    }

    static RawAlarm cleared(CloudCredential credential, Instance instance, Instant observed) {
        return base(credential, instance, observed).setState(RawAlarmState.CLEARED).setType(TYPE).setComponent(COMPONENT)
                .setTitle(clip("Instance " + label(instance) + " (" + credential.provider().apiName() + ", credential "
                        + credential.name() + ", " + instance.location() + ") is running again", RawAlarmValidator.MAX_TITLE))
                .build();
    }

    private static RawAlarm.Builder base(CloudCredential credential, Instance instance, Instant observed) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("provider", credential.provider().apiName());
        labels.put("credential", clip(credential.name() == null ? "" : credential.name(), RawAlarmValidator.MAX_LABEL_VALUE));
        labels.put("credential_id", credential.id());
        labels.put("instance", clip(instance.id(), RawAlarmValidator.MAX_LABEL_VALUE));
        labels.put("instance_name", clip(nonNull(instance.name()), RawAlarmValidator.MAX_LABEL_VALUE));
        labels.put("location", clip(nonNull(instance.location()), RawAlarmValidator.MAX_LABEL_VALUE));
        labels.put("provider_state", clip(nonNull(instance.providerState()), RawAlarmValidator.MAX_LABEL_VALUE));
        return RawAlarm.newBuilder().setSource(SOURCE).setAlarmId(alarmId(credential.id(), instance))
                .setHostname(clip(hostname(instance), RawAlarmValidator.MAX_NAME)).setLabels(labels).setTimestamp(observed);
    }

    /** The instance's name, or its first private address when it has none (an unnamed EC2 instance). */
    static String hostname(Instance instance) {
        if (instance.name() != null && !instance.name().isBlank()) {
            return instance.name();
        }
        return instance.privateAddresses().isEmpty() ? instance.id() : instance.privateAddresses().getFirst();
    }

    private static String label(Instance instance) {
        return instance.name() == null || instance.name().isBlank() || instance.name().equals(instance.id())
                ? instance.id() : instance.name() + " [" + instance.id() + "]";
    }

    private static String nonNull(String text) {
        return text == null ? "" : text;
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
