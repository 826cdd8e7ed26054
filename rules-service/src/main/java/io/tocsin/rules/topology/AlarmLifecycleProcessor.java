package io.tocsin.rules.topology;

import io.tocsin.rules.catalogue.AlarmCatalogue;
import io.tocsin.rules.catalogue.AlarmType;
import io.tocsin.rules.definition.Escalation;
import io.tocsin.rules.definition.Rule;
import io.tocsin.rules.definition.RuleKind;
import io.tocsin.rules.definition.RuleSet;
import io.tocsin.rules.silence.SilenceMatcher;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.AlarmState;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import io.tocsin.schema.Severity;
import io.tocsin.schema.Silence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The alarm lifecycle of DESIGN.md section 4, per alarm key, over the {@code alarm-lifecycle-store}:
 * <ul>
 *   <li>RAISED, not open: CREATED (the alarm opens; severity, component and categories from the source or the rules);</li>
 *   <li>RAISED, open, same content: no event (a duplicate); its repeat count and last-seen time advance;</li>
 *   <li>RAISED, open, other severity or content: UPDATED;</li>
 *   <li>CLEARED, open: ENDED, carrying the open alarm's content (as ClusterControl's ENDED repeats CREATED);</li>
 *   <li>CLEARED, not open: nothing.</li>
 * </ul>
 * Event rules with an escalation raise a WARNING to CRITICAL (UPDATED) after N raises of the same occurrence or
 * after a duration (checked by wall-clock punctuation).
 *
 * <p><b>Silences</b> ({@code silences-store}, see docs/silences.md): an alarm whose event time falls in an active
 * silence that matches it opens <em>silenced</em> — its CREATED, UPDATEDs and (if it ends silenced) ENDED are marked
 * and not delivered. A punctuation releases it when no silence holds it any more: a CREATED (silenced=false, next
 * sequence) is emitted then. An alarm whose CREATED was delivered before a silence began keeps its ENDED delivered;
 * only its UPDATEDs during the silence are marked.
 *
 * <p>Times are the producer's {@code timestamp} when given, else the record timestamp, so reprocessing under
 * exactly-once gives the same events with the same ids; only releases and escalations by time follow the wall clock.
 * Every event emitted is counted ({@link RulesMetrics#alarmEvent}).
 */
final class AlarmLifecycleProcessor implements Processor<String, RawAlarm, String, AlarmEvent> {

    private final AlarmCatalogue catalogue;
    private final RuleSet rules;
    private final TopologySettings settings;
    private final RulesMetrics metrics;
    private ProcessorContext<String, AlarmEvent> context;
    private KeyValueStore<String, AlarmState> store;
    private KeyValueStore<String, Silence> silences;
    // Whether a punctuation may find work: silenced alarms may exist (unknown after a restart), or some event rule
    // escalates after a duration.
    private boolean mayHaveSilenced = true;
    private final boolean timedEscalations;

    AlarmLifecycleProcessor(AlarmCatalogue catalogue, RuleSet rules, TopologySettings settings, RulesMetrics metrics) {
        this.catalogue = catalogue;
        this.rules = rules;
        this.settings = settings;
        this.metrics = metrics;
        this.timedEscalations = rules.rules().stream().anyMatch(r -> r.kind() == RuleKind.EVENT && r.escalate() != null && r.escalate().after() != null);
    }

    @Override
    public void init(ProcessorContext<String, AlarmEvent> context) {
        this.context = context;
        this.store = context.getStateStore(AlarmLifecycleTopology.LIFECYCLE_STORE);
        this.silences = context.getStateStore(AlarmLifecycleTopology.SILENCES_STORE);
        context.schedule(settings.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::check);
    }

    @Override
    public void process(Record<String, RawAlarm> record) {
        RawAlarm raw = record.value();
        Instant at = raw.getTimestamp() != null ? raw.getTimestamp() : Instant.ofEpochMilli(record.timestamp());
        AlarmState open = store.get(record.key());
        if (raw.getState() == RawAlarmState.CLEARED) {
            if (open != null) {
                store.delete(record.key());
                emit(record.key(), AlarmState.newBuilder(open).setUpdatedAt(at).setSequence(open.getSequence() + 1).build(),
                        AlarmEventStatus.ENDED, at, open.getSilenced(), record.timestamp());
            }
            return;
        }
        AlarmState next = classify(record.key(), raw, open, at);
        if (open == null) {
            Optional<Silence> silence = activeSilence(next, at);
            next.setSilenced(silence.isPresent());
            next.setSilencedBy(silence.map(Silence::getId).orElse(null));
            mayHaveSilenced |= silence.isPresent();
            store.put(record.key(), next);
            emit(record.key(), next, AlarmEventStatus.CREATED, at, next.getSilenced(), record.timestamp());
        } else if (!sameContent(open, next)) {
            store.put(record.key(), next);
            emit(record.key(), next, AlarmEventStatus.UPDATED, at, next.getSilenced() || activeSilence(next, at).isPresent(), record.timestamp());
        } else {
            // A duplicate: no event, but the view shows how often and how lately the source repeated it.
            store.put(record.key(), AlarmState.newBuilder(open).setRepeatCount(next.getRepeatCount()).setLastSeen(at).build());
        }
    }

    private AlarmState classify(String key, RawAlarm raw, AlarmState open, Instant at) {
        AlarmType type = catalogue.lookup(raw.getType(), raw.getComponent());
        Severity severity = raw.getSeverity() != null ? raw.getSeverity() : type.defaultSeverity();
        long repeats = open == null ? 1 : open.getRepeatCount() + 1;
        Rule rule = rules.rule(raw.getType()).orElse(null);
        if (rule != null && rule.kind() == RuleKind.EVENT && rule.escalate() != null && severity == Severity.WARNING) {
            Escalation escalation = rule.escalate();
            boolean byCycles = escalation.cycles() != null && repeats >= escalation.cycles();
            boolean byTime = escalation.after() != null && open != null
                    && !at.isBefore(open.getOpenedAt().plus(escalation.after()));
            // Once escalated, an occurrence stays CRITICAL until it ends.
            if (byCycles || byTime || (open != null && open.getSeverity() == Severity.CRITICAL)) {
                severity = Severity.CRITICAL;
            }
        }
        String component = raw.getComponent() != null && !raw.getComponent().isBlank() ? raw.getComponent() : type.component();
        return AlarmState.newBuilder()
                .setAlarmKey(key)
                .setSource(raw.getSource())
                .setAlarmId(raw.getAlarmId())
                .setSeverity(severity)
                .setType(raw.getType())
                .setComponent(component)
                .setCategories(type.categories())
                .setCluster(raw.getCluster())
                .setHostname(raw.getHostname())
                .setTitle(raw.getTitle())
                .setMessage(raw.getMessage())
                .setRecommendation(raw.getRecommendation())
                .setLabels(raw.getLabels())
                .setOpenedAt(open == null ? at : open.getOpenedAt())
                .setUpdatedAt(at)
                .setSequence(open == null ? 1 : open.getSequence() + 1)
                .setRepeatCount(repeats)
                .setLastSeen(at)
                .setSilenced(open != null && open.getSilenced())
                .setSilencedBy(open == null ? null : open.getSilencedBy())
                .build();
    }

    private Optional<Silence> activeSilence(AlarmState alarm, Instant at) {
        // Straight over the store's iterator: this runs for every new alarm, and a copy of every silence each time
        // would be garbage on the hot path.
        try (KeyValueIterator<String, Silence> it = silences.all()) {
            Iterable<Silence> values = () -> new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public Silence next() {
                    return it.next().value;
                }
            };
            return SilenceMatcher.firstActiveMatch(values, at, alarm.getCluster(), alarm.getHostname(), alarm.getType(),
                    alarm.getCategories(), alarm.getSource());
        }
    }

    /** Wall-clock check: release alarms no silence holds any more; escalate event alarms open too long at WARNING. */
    private void check(long nowMillis) {
        if (!mayHaveSilenced && !timedEscalations) {
            return;
        }
        Instant now = Instant.ofEpochMilli(nowMillis);
        boolean stillSilenced = false;
        List<KeyValue<String, AlarmState>> changes = new ArrayList<>();
        try (KeyValueIterator<String, AlarmState> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, AlarmState> entry = all.next();
                AlarmState alarm = entry.value;
                if (alarm.getSilenced()) {
                    if (activeSilence(alarm, now).isPresent()) {
                        stillSilenced = true;
                    } else {
                        changes.add(KeyValue.pair(entry.key, alarm));
                    }
                } else if (timedEscalations && escalatesBy(alarm, now)) {
                    changes.add(KeyValue.pair(entry.key, alarm));
                }
            }
        }
        for (KeyValue<String, AlarmState> change : changes) {
            AlarmState alarm = change.value;
            AlarmState.Builder next = AlarmState.newBuilder(alarm).setUpdatedAt(now).setSequence(alarm.getSequence() + 1);
            if (alarm.getSilenced()) {
                AlarmState released = next.setSilenced(false).setSilencedBy(null).build();
                store.put(change.key, released);
                emit(change.key, released, AlarmEventStatus.CREATED, now, false, nowMillis);
            } else {
                AlarmState escalated = next.setSeverity(Severity.CRITICAL).build();
                store.put(change.key, escalated);
                emit(change.key, escalated, AlarmEventStatus.UPDATED, now, activeSilence(escalated, now).isPresent(), nowMillis);
            }
        }
        mayHaveSilenced = stillSilenced;
    }

    private boolean escalatesBy(AlarmState alarm, Instant now) {
        if (alarm.getSeverity() != Severity.WARNING) {
            return false;
        }
        Rule rule = rules.rule(alarm.getType()).orElse(null);
        return rule != null && rule.kind() == RuleKind.EVENT && rule.escalate() != null && rule.escalate().after() != null
                && !now.isBefore(alarm.getOpenedAt().plus(rule.escalate().after()));
    }

    private static boolean sameContent(AlarmState a, AlarmState b) {
        return a.getSeverity() == b.getSeverity()
                && Objects.equals(a.getType(), b.getType())
                && Objects.equals(a.getComponent(), b.getComponent())
                && Objects.equals(a.getCluster(), b.getCluster())
                && Objects.equals(a.getHostname(), b.getHostname())
                && Objects.equals(a.getTitle(), b.getTitle())
                && Objects.equals(a.getMessage(), b.getMessage())
                && Objects.equals(a.getRecommendation(), b.getRecommendation())
                && Objects.equals(a.getLabels(), b.getLabels());
    }

    private void emit(String key, AlarmState state, AlarmEventStatus status, Instant at, boolean silenced, long recordTime) {
        AlarmEvent event = AlarmEvent.newBuilder()
                .setEventId(state.getAlarmKey() + "/" + state.getOpenedAt().toEpochMilli() + "/" + state.getSequence())
                .setAlarmKey(state.getAlarmKey())
                .setSource(state.getSource())
                .setAlarmId(state.getAlarmId())
                .setStatus(status)
                .setSeverity(state.getSeverity())
                .setType(state.getType())
                .setComponent(state.getComponent())
                .setCategories(state.getCategories())
                .setCluster(state.getCluster())
                .setHostname(state.getHostname())
                .setTitle(state.getTitle())
                .setMessage(state.getMessage())
                .setRecommendation(state.getRecommendation())
                .setLabels(state.getLabels())
                .setOpenedAt(state.getOpenedAt())
                .setEventTime(at)
                .setSequence(state.getSequence())
                .setRepeatCount(state.getRepeatCount())
                .setLastSeen(state.getLastSeen())
                .setSilenced(silenced)
                .setSilencedBy(silenced ? state.getSilencedBy() : null)
                .build();
        context.forward(new Record<>(key, event, recordTime));
        metrics.alarmEvent(event);
    }
}
