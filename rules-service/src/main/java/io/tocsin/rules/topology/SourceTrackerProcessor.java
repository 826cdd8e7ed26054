package io.tocsin.rules.topology;

import io.tocsin.rules.definition.Durations;
import io.tocsin.rules.definition.Rule;
import io.tocsin.rules.definition.RuleSet;
import io.tocsin.rules.evaluation.RaisedAlarms;
import io.tocsin.schema.AlarmKeys;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.SourceStatus;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Per raw-alarm producer (the input is repartitioned by source): its last event time, raise and clear counts, and
 * — for a source with an expected interval — its heartbeat. A source declares its interval with the label
 * {@value #INTERVAL_LABEL} on its raw alarms ({@code 60s}, {@code 5m}, {@code PT1M}; a CLEARED alarm of an
 * unknown id is a no-op in the lifecycle, so a periodic one is a cheap keep-alive), or the configuration gives it
 * ({@code tocsin.rules.heartbeat.sources}). A source silent for {@code missedIntervals} intervals raises
 * {@code SourceHeartbeatLost}; its next record ends it. Status reaches {@code source-status-store} every
 * {@code statusFlushInterval}, as host status does.
 *
 * <p>Error contract: an unreadable interval label is ignored (the configured interval, if any, applies); nothing
 * here throws for data.
 */
final class SourceTrackerProcessor implements Processor<String, RawAlarm, String, RawAlarm> {

    static final String INTERVAL_LABEL = "tocsin.expected-interval";
    static final String HEARTBEAT_TYPE = "SourceHeartbeatLost";

    private final RuleSet rules;
    private final TopologySettings settings;
    private ProcessorContext<String, RawAlarm> context;
    private StatusTable<SourceStatus> sources;
    private long startedAt;

    SourceTrackerProcessor(RuleSet rules, TopologySettings settings) {
        this.rules = rules;
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, RawAlarm> context) {
        this.context = context;
        this.sources = new StatusTable<>(context.getStateStore(AlarmLifecycleTopology.SOURCE_STATUS_STORE),
                source -> SourceStatus.newBuilder().setSource(source).setLastEventAt(Instant.EPOCH).setLastReceivedAt(Instant.EPOCH)
                        .setExpectedIntervalMillis(null).build(),
                stored -> stored);
        this.startedAt = context.currentSystemTimeMs();
        context.schedule(settings.statusFlushInterval(), PunctuationType.WALL_CLOCK_TIME, now -> sources.flush());
        context.schedule(settings.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::checkHeartbeats);
    }

    @Override
    public void process(Record<String, RawAlarm> record) {
        RawAlarm alarm = record.value();
        SourceStatus status = sources.get(record.key());
        Instant at = alarm.getTimestamp() != null ? alarm.getTimestamp() : Instant.ofEpochMilli(record.timestamp());
        if (at.isAfter(status.getLastEventAt())) {
            status.setLastEventAt(at);
        }
        status.setLastReceivedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()));
        if (alarm.getState() == RawAlarmState.RAISED) {
            status.setRaised(status.getRaised() + 1);
        } else {
            status.setCleared(status.getCleared() + 1);
        }
        Duration declared = Durations.parse(alarm.getLabels().get(INTERVAL_LABEL));
        // A declared interval holds until the source declares another: not every record need carry the label.
        Duration interval = declared != null ? declared : settings.sourceIntervals().get(record.key());
        if (interval != null) {
            status.setExpectedIntervalMillis(interval.toMillis());
        }
        if (!status.getOnline()) {
            status.setOnline(true);
            forwardHeartbeat(record.key(), false, context.currentSystemTimeMs());
        }
        sources.changed(record.key());
    }

    private void checkHeartbeats(long now) {
        for (SourceStatus source : sources.all()) {
            Long interval = source.getExpectedIntervalMillis();
            long lastHeard = Math.max(source.getLastReceivedAt().toEpochMilli(), startedAt);
            if (interval != null && source.getOnline() && lastHeard < now - interval * settings.missedIntervals()) {
                SourceStatus offline = sources.get(source.getSource());
                offline.setOnline(false);
                sources.changed(offline.getSource());
                forwardHeartbeat(offline.getSource(), true, now);
            }
        }
    }

    private void forwardHeartbeat(String source, boolean lost, long now) {
        Rule rule = rules.rule(HEARTBEAT_TYPE).orElse(null);
        if (rule != null) {
            RawAlarm alarm = RaisedAlarms.ofSubject(rule, source, "", "", lost, Instant.ofEpochMilli(now));
            context.forward(new Record<>(AlarmKeys.of(alarm), alarm, now));
        }
    }
}
