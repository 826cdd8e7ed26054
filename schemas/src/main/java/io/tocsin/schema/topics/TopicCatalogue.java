package io.tocsin.schema.topics;

import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmState;
import io.tocsin.schema.BackupCompleted;
import io.tocsin.schema.CloudCredential;
import io.tocsin.schema.DeliveryRecord;
import io.tocsin.schema.HostMetric;
import io.tocsin.schema.Integration;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.Silence;
import io.tocsin.schema.wire.AvroSerde;
import io.tocsin.schema.wire.Codecs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The typed topic catalogue of DESIGN.md section 2. Names carry a configurable prefix ({@code tocsin.} by
 * default) so several Tocsin installations can share a cluster.
 */
public final class TopicCatalogue {

    public static final String DEFAULT_PREFIX = "tocsin.";
    private static final Pattern LEGAL_PREFIX = Pattern.compile("[A-Za-z0-9._-]{0,200}");

    private final TopicSpec<String, HostMetric> rawMetrics;
    private final TopicSpec<String, RawAlarm> rawAlarms;
    private final TopicSpec<String, AlarmEvent> alarmEvents;
    private final TopicSpec<String, AlarmState> alarmsOpen;
    private final TopicSpec<String, Integration> integrations;
    private final TopicSpec<String, DeliveryRecord> deliveries;
    private final TopicSpec<byte[], byte[]> dlq;
    private final TopicSpec<String, CloudCredential> cloudCredentials;
    private final TopicSpec<String, Silence> silences;
    private final TopicSpec<String, BackupCompleted> backups;

    public TopicCatalogue(String prefix) {
        if (prefix == null || !LEGAL_PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("topic prefix '" + prefix + "' may contain only letters, digits, '.', '_' and '-'");
        }
        rawMetrics = new TopicSpec<>(prefix + "raw.metrics", Serdes.String(), new AvroSerde<>(Codecs.HOST_METRIC), retention(Duration.ofDays(7)));
        rawAlarms = new TopicSpec<>(prefix + "raw.alarms", Serdes.String(), new AvroSerde<>(Codecs.RAW_ALARM), retention(Duration.ofDays(7)));
        alarmEvents = new TopicSpec<>(prefix + "alarm-events", Serdes.String(), new AvroSerde<>(Codecs.ALARM_EVENT), retention(Duration.ofDays(30)));
        alarmsOpen = new TopicSpec<>(prefix + "alarms.open", Serdes.String(), new AvroSerde<>(Codecs.ALARM_STATE), compacted());
        integrations = new TopicSpec<>(prefix + "integrations", Serdes.String(), new AvroSerde<>(Codecs.INTEGRATION), compacted());
        deliveries = new TopicSpec<>(prefix + "deliveries", Serdes.String(), new AvroSerde<>(Codecs.DELIVERY_RECORD), compacted());
        dlq = new TopicSpec<>(prefix + "dlq", Serdes.ByteArray(), Serdes.ByteArray(), retention(Duration.ofDays(30)));
        cloudCredentials = new TopicSpec<>(prefix + "cloud.credentials", Serdes.String(), new AvroSerde<>(Codecs.CLOUD_CREDENTIAL), compacted());
        silences = new TopicSpec<>(prefix + "silences", Serdes.String(), new AvroSerde<>(Codecs.SILENCE), compacted());
        backups = new TopicSpec<>(prefix + "backups", Serdes.String(), new AvroSerde<>(Codecs.BACKUP_COMPLETED), retention(Duration.ofDays(30)));
    }

    public static TopicCatalogue withDefaultPrefix() {
        return new TopicCatalogue(DEFAULT_PREFIX);
    }

    private static Map<String, String> retention(Duration retention) {
        return Map.of("cleanup.policy", "delete", "retention.ms", Long.toString(retention.toMillis()));
    }

    private static Map<String, String> compacted() {
        return Map.of("cleanup.policy", "compact");
    }

    public TopicSpec<String, HostMetric> rawMetrics() {
        return rawMetrics;
    }

    public TopicSpec<String, RawAlarm> rawAlarms() {
        return rawAlarms;
    }

    public TopicSpec<String, AlarmEvent> alarmEvents() {
        return alarmEvents;
    }

    public TopicSpec<String, AlarmState> alarmsOpen() {
        return alarmsOpen;
    }

    public TopicSpec<String, Integration> integrations() {
        return integrations;
    }

    public TopicSpec<String, DeliveryRecord> deliveries() {
        return deliveries;
    }

    /** Dead letters: the original key and bytes, with headers naming where they came from and why they failed. */
    public TopicSpec<byte[], byte[]> dlq() {
        return dlq;
    }

    /** Cloud credentials by id (tombstone = deleted); their secret fields are AES-GCM encrypted before they are written. */
    public TopicSpec<String, CloudCredential> cloudCredentials() {
        return cloudCredentials;
    }

    /** Maintenance windows (silences), by id; the rules service reads them as a global store. */
    public TopicSpec<String, Silence> silences() {
        return silences;
    }

    /** One record per backup upload that ended (succeeded or failed), keyed by {@code credentialId:bucket:key}. */
    public TopicSpec<String, BackupCompleted> backups() {
        return backups;
    }

    public List<TopicSpec<?, ?>> all() {
        return List.of(rawMetrics, rawAlarms, alarmEvents, alarmsOpen, integrations, deliveries, dlq, cloudCredentials, silences, backups);
    }
}
