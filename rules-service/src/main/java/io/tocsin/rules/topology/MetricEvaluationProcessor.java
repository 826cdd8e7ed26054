package io.tocsin.rules.topology;

import io.tocsin.rules.definition.Rule;
import io.tocsin.rules.definition.RuleSet;
import io.tocsin.rules.evaluation.RaisedAlarms;
import io.tocsin.rules.evaluation.SeriesEvaluator;
import io.tocsin.rules.evaluation.SeriesState;
import io.tocsin.schema.HostMetric;
import io.tocsin.schema.HostStatus;
import io.tocsin.schema.MetricValue;
import io.tocsin.schema.AlarmKeys;
import io.tocsin.schema.RawAlarm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Metric evaluation and host heartbeats, per host (the input is partitioned by host, so one task sees all of a
 * host's samples). For each sample, every metric rule fed by its metric and selecting its instance judges it
 * ({@link SeriesEvaluator}, state per host, rule and instance in {@code metric-series-store}); transitions are
 * forwarded as raw alarms keyed by alarm key ({@link RaisedAlarms}), to run through the alarm lifecycle.
 *
 * <p>Host status (newest value per metric and instance, last seen, online) is kept in memory and written to
 * {@code host-status-store} every {@code statusFlushInterval} (see {@link TopologySettings}). A wall-clock
 * punctuation raises {@code HostHeartbeatLost} for a host silent for {@code missedIntervals × hostInterval}; its next
 * sample ends it. The silence is measured from the later of the host's last sample and this task's start, so a
 * restart after downtime does not declare every host lost before its backlog is read.
 *
 * <p>Error contract: a sample decodes before it gets here (bad records went to the DLQ). A sample too late to
 * count is dropped and counted ({@link RulesMetrics#lateSample()}); nothing here throws for data.
 */
final class MetricEvaluationProcessor implements Processor<String, HostMetric, String, RawAlarm> {

    static final String HEARTBEAT_TYPE = "HostHeartbeatLost";

    private final RuleSet rules;
    private final Map<String, List<Rule>> rulesByMetric = new HashMap<>();
    private final TopologySettings settings;
    private final SeriesEvaluator evaluator;
    private final Runnable lateSample;
    private ProcessorContext<String, RawAlarm> context;
    private KeyValueStore<String, byte[]> series;
    private StatusTable<HostStatus> hosts;
    private long startedAt;

    MetricEvaluationProcessor(RuleSet rules, TopologySettings settings, Runnable lateSample) {
        this.rules = rules;
        this.settings = settings;
        this.evaluator = new SeriesEvaluator(settings.grace());
        this.lateSample = lateSample;
        for (Rule rule : rules.rules()) {
            if (rule.metric() != null) {
                rulesByMetric.computeIfAbsent(rule.metric(), m -> new ArrayList<>()).add(rule);
            }
        }
    }

    @Override
    public void init(ProcessorContext<String, RawAlarm> context) {
        this.context = context;
        this.series = context.getStateStore(AlarmLifecycleTopology.SERIES_STORE);
        this.hosts = new StatusTable<>(context.getStateStore(AlarmLifecycleTopology.HOST_STATUS_STORE),
                host -> HostStatus.newBuilder().setHost(host).setLastSampleAt(Instant.EPOCH).setLastReceivedAt(Instant.EPOCH)
                        .setOnline(true).setLatest(new ArrayList<>()).build(),
                stored -> {
                    stored.setLatest(new ArrayList<>(stored.getLatest()));
                    return stored;
                });
        this.startedAt = context.currentSystemTimeMs();
        context.schedule(settings.statusFlushInterval(), PunctuationType.WALL_CLOCK_TIME, now -> hosts.flush());
        context.schedule(settings.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::checkHeartbeats);
    }

    @Override
    public void process(Record<String, HostMetric> record) {
        HostMetric sample = record.value();
        long time = sample.getTimestamp() != null ? sample.getTimestamp().toEpochMilli() : record.timestamp();
        HostStatus host = hosts.get(sample.getHost());
        long newestSeen = newestOf(host, sample.getMetric(), sample.getInstance());
        boolean wasOffline = !host.getOnline();
        remember(host, sample, time);
        if (wasOffline) {
            forwardHeartbeat(host, false, context.currentSystemTimeMs());
        }
        for (Rule rule : rulesByMetric.getOrDefault(sample.getMetric(), List.of())) {
            if (rule.selectsInstance(sample.getInstance())) {
                judge(rule, sample, time, newestSeen, record);
            }
        }
    }

    private void judge(Rule rule, HostMetric sample, long time, long newestSeen, Record<String, HostMetric> record) {
        String key = sample.getHost() + '\0' + rule.type() + '\0' + sample.getInstance();
        byte[] stored = series.get(key);
        SeriesState state = stored == null ? new SeriesState() : SeriesState.decode(stored);
        SeriesEvaluator.Outcome outcome = evaluator.evaluate(rule, rule.effective(sample.getCluster(), sample.getHost()),
                state, time, sample.getValue(), newestSeen);
        if (outcome.late()) {
            lateSample.run();
        }
        if (outcome.stateChanged()) {
            // A closed series with nothing pending and no window is the same as no state at all: delete, not keep.
            series.put(key, state.open() == null && state.isIdle() ? null : state.encode());
        }
        if (outcome.transition() != null) {
            RawAlarm alarm = RaisedAlarms.ofTransition(rule, sample, outcome.transition());
            context.forward(record.withKey(AlarmKeys.of(alarm)).withValue(alarm).withTimestamp(time));
        }
    }

    private static long newestOf(HostStatus host, String metric, String instance) {
        for (MetricValue value : host.getLatest()) {
            if (value.getMetric().equals(metric) && value.getInstance().equals(instance)) {
                return value.getAt().toEpochMilli();
            }
        }
        return Long.MIN_VALUE;
    }

    private void remember(HostStatus host, HostMetric sample, long time) {
        Instant at = Instant.ofEpochMilli(time);
        List<MetricValue> latest = host.getLatest();
        MetricValue current = null;
        for (MetricValue value : latest) {
            if (value.getMetric().equals(sample.getMetric()) && value.getInstance().equals(sample.getInstance())) {
                current = value;
                break;
            }
        }
        if (current == null) {
            latest.add(new MetricValue(sample.getMetric(), sample.getInstance(), sample.getValue(), at));
        } else if (!current.getAt().isAfter(at)) {
            current.setValue(sample.getValue());
            current.setAt(at);
        }
        if (at.isAfter(host.getLastSampleAt())) {
            host.setLastSampleAt(at);
            host.setCluster(sample.getCluster());
        }
        host.setLastReceivedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()));
        host.setOnline(true);
        hosts.changed(host.getHost());
    }

    private void checkHeartbeats(long now) {
        Rule rule = rules.rule(HEARTBEAT_TYPE).orElse(null);
        if (rule == null) {
            return;
        }
        long silentSince = now - settings.hostSilence().toMillis();
        for (HostStatus host : hosts.all()) {
            long lastHeard = Math.max(host.getLastReceivedAt().toEpochMilli(), startedAt);
            if (host.getOnline() && lastHeard < silentSince) {
                HostStatus offline = hosts.get(host.getHost());
                offline.setOnline(false);
                hosts.changed(offline.getHost());
                forwardHeartbeat(offline, true, now);
            }
        }
    }

    private void forwardHeartbeat(HostStatus host, boolean lost, long now) {
        rules.rule(HEARTBEAT_TYPE).ifPresent(rule -> {
            RawAlarm alarm = RaisedAlarms.ofSubject(rule, host.getHost(), host.getHost(), host.getCluster(), lost, Instant.ofEpochMilli(now));
            context.forward(new Record<>(AlarmKeys.of(alarm), alarm, now));
        });
    }
}
