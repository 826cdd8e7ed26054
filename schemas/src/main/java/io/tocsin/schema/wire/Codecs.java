package io.tocsin.schema.wire;

import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmState;
import io.tocsin.schema.BackupCompleted;
import io.tocsin.schema.CloudCredential;
import io.tocsin.schema.DeliveryRecord;
import io.tocsin.schema.HostMetric;
import io.tocsin.schema.HostStatus;
import io.tocsin.schema.Integration;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.Silence;
import io.tocsin.schema.SourceStatus;
import io.tocsin.schema.validation.HostMetricValidator;
import io.tocsin.schema.validation.RawAlarmValidator;

/** The wire format of each record type. Only the raw topics' records may also arrive as JSON. */
public final class Codecs {

    public static final WireFormat<RawAlarm> RAW_ALARM = new WireFormat<>(RawAlarm.class, true, new RawAlarmValidator());
    public static final WireFormat<HostMetric> HOST_METRIC = new WireFormat<>(HostMetric.class, true, new HostMetricValidator());
    public static final WireFormat<AlarmEvent> ALARM_EVENT = new WireFormat<>(AlarmEvent.class, false, RecordValidator.none());
    public static final WireFormat<AlarmState> ALARM_STATE = new WireFormat<>(AlarmState.class, false, RecordValidator.none());
    public static final WireFormat<Integration> INTEGRATION = new WireFormat<>(Integration.class, false, RecordValidator.none());
    public static final WireFormat<DeliveryRecord> DELIVERY_RECORD = new WireFormat<>(DeliveryRecord.class, false, RecordValidator.none());
    public static final WireFormat<Silence> SILENCE = new WireFormat<>(Silence.class, false, RecordValidator.none());
    public static final WireFormat<HostStatus> HOST_STATUS = new WireFormat<>(HostStatus.class, false, RecordValidator.none());
    public static final WireFormat<SourceStatus> SOURCE_STATUS = new WireFormat<>(SourceStatus.class, false, RecordValidator.none());
    public static final WireFormat<CloudCredential> CLOUD_CREDENTIAL = new WireFormat<>(CloudCredential.class, false, RecordValidator.none());
    public static final WireFormat<BackupCompleted> BACKUP_COMPLETED = new WireFormat<>(BackupCompleted.class, false, RecordValidator.none());

    private Codecs() {
    }
}
