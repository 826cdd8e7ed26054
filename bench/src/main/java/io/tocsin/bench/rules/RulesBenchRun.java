package io.tocsin.bench.rules;

import io.tocsin.bench.BenchResult.Latency;
import io.tocsin.schema.topics.TopicCatalogue;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One run of {@code --scenario rules}: for each repetition, the same {@link Workload} is sent once to the copy
 * baseline's input topics and once to Tocsin's raw topics (copy first on odd repetitions, rules first on even
 * ones); each phase lasts from the first send until its consumer group has committed the end of its input (and,
 * for the rules phase, every owed alarm event appeared, or the timeout passed). See docs/BENCH.md.
 *
 * <p>Error contract: {@link #run} throws {@link IOException} when nothing could be measured (Kafka unreachable,
 * Tocsin's topics missing, scratch topics not created) or Kafka refused a record (the run stops there); otherwise
 * it returns its result, good or bad, with what went wrong in {@link RulesBenchResult#problems()}.
 */
public final class RulesBenchRun {

    private static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final RulesBenchOptions options;
    private final String runId;
    private final RulesReport report;
    private final TopicCatalogue topics;
    private final List<String> problems = new ArrayList<>();

    public RulesBenchRun(RulesBenchOptions options, String runId, PrintStream out) {
        this.options = options;
        this.runId = runId;
        this.report = new RulesReport(out);
        this.topics = new TopicCatalogue(options.topicPrefix());
    }

    /** The measured figures of one phase, and for a rules phase its ledger (read once the run is over). */
    private record Measured(RulesBenchResult.Phase phase, OwedEvents owed) {
    }

    public RulesBenchResult run() throws IOException, InterruptedException {
        String metrics = topics.rawMetrics().name();
        String alarms = topics.rawAlarms().name();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            CommitProgress progress = new CommitProgress(admin);
            Map<String, TopicDescription> tocsin;
            try {
                tocsin = progress.describe(List.of(metrics, alarms, topics.alarmEvents().name()));
            } catch (IOException e) {
                throw new IOException("Tocsin's topics (prefix '" + options.topicPrefix() + "') are not readable on " + options.bootstrap()
                        + ": is Tocsin running against this Kafka? (" + e.getMessage() + ")", e);
            }
            Workload shape = workload("1", options.samples(), options.rawAlarms());
            report.header(runId, options, shape, tocsin.get(metrics), tocsin.get(alarms), progress.describeGroup(options.rulesGroup()));
            CopyBaseline copy = CopyBaseline.start(admin, options.bootstrap(), runId, tocsin.get(metrics), tocsin.get(alarms));
            List<RulesBenchResult.Repetition> repetitions = new ArrayList<>();
            AlarmEventWatcher watcher = null;
            try (KafkaProducer<String, byte[]> producer = producer()) {
                watcher = AlarmEventWatcher.start(options.bootstrap(), topics.alarmEvents().name());
                report.copyTopics(copy);
                PhaseRunner runner = new PhaseRunner(progress, new WorkloadSender(producer, options.rate()), copy, watcher);
                if (options.warmup() > 0) {
                    Workload warmup = workload("w", options.warmupSamples(), options.warmupRawAlarms());
                    runner.run("warm-up", "copy", warmup);
                    runner.run("warm-up", "rules", warmup);
                }
                List<Measured[]> pairs = new ArrayList<>();
                for (int rep = 1; rep <= options.repetitions(); rep++) {
                    Workload workload = workload(Integer.toString(rep), options.samples(), options.rawAlarms());
                    boolean copyFirst = rep % 2 == 1;
                    String label = "rep " + rep;
                    Measured first = runner.run(label, copyFirst ? "copy" : "rules", workload);
                    Measured second = runner.run(label, copyFirst ? "rules" : "copy", workload);
                    pairs.add(copyFirst ? new Measured[] {first, second} : new Measured[] {second, first});
                }
                // Ledgers are read only now, after every phase's linger: a late duplicate still counts.
                for (int i = 0; i < pairs.size(); i++) {
                    repetitions.add(repetition(i + 1, pairs.get(i)[0], pairs.get(i)[1]));
                }
                if (watcher.failure() != null) {
                    problems.add("the alarm-events watcher failed: " + watcher.failure());
                }
                if (copy.failure() != null) {
                    problems.add("the copy baseline failed: " + copy.failure());
                }
                if (copy.sendErrors() > 0) {
                    problems.add("the copy baseline could not write " + copy.sendErrors() + " records to " + copy.outTopic());
                }
            } finally {
                if (watcher != null) {
                    watcher.close();
                }
                String cleanUp = copy.cleanUp();
                report.cleanedUp(copy, cleanUp);
            }
            return new RulesBenchResult(runId, options.rate(), repetitions, RulesBenchResult.Medians.of(repetitions),
                    watcher.foreign(), watcher.undecodable(), List.copyOf(problems));
        }
    }

    private Workload workload(String repetition, int samples, int rawAlarms) {
        return new Workload("bench-" + runId + "-" + repetition, options.hosts(), options.rounds(samples), rawAlarms, options.crossingEvery());
    }

    private static RulesBenchResult.Repetition repetition(int number, Measured copy, Measured rules) {
        OwedEvents owed = rules.owed();
        RulesBenchResult.Events events = new RulesBenchResult.Events(owed.owed(), owed.workload().metricEvents(), owed.matched(),
                owed.lost(), owed.duplicated(), owed.unexpected(), Latency.of(owed.latencyMicros()));
        double ratio = copy.phase().completed() && rules.phase().completed() && copy.phase().recordsPerSecond() > 0
                ? rules.phase().recordsPerSecond() / copy.phase().recordsPerSecond() : 0;
        return new RulesBenchResult.Repetition(number, number % 2 == 1 ? "copy" : "rules", copy.phase(), rules.phase(), events, ratio);
    }

    /** The bench's producer: what a collector does (acks=all, idempotent), with batching so it is not the limit. */
    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024,
                // A broker that is gone fails the phase within 30 s instead of blocking every send for a minute.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    /** Runs phases: send, then wait for the side's commits (and, for the rules, its events). */
    private final class PhaseRunner {

        private final CommitProgress progress;
        private final WorkloadSender sender;
        private final CopyBaseline copy;
        private final AlarmEventWatcher watcher;

        PhaseRunner(CommitProgress progress, WorkloadSender sender, CopyBaseline copy, AlarmEventWatcher watcher) {
            this.progress = progress;
            this.sender = sender;
            this.copy = copy;
            this.watcher = watcher;
        }

        Measured run(String label, String side, Workload workload) throws IOException, InterruptedException {
            boolean rules = side.equals("rules");
            List<String> inputs = rules ? List.of(topics.rawMetrics().name(), topics.rawAlarms().name())
                    : List.of(copy.metricsTopic(), copy.alarmsTopic());
            String group = rules ? options.rulesGroup() : copy.group();
            OwedEvents owed = rules ? new OwedEvents(workload) : null;
            if (owed != null) {
                watcher.watch(workload.tag(), owed);
            }
            Map<TopicPartition, Long> before = progress.endOffsets(inputs);
            long start = OwedEvents.now();
            LongSupplier events = owed == null ? () -> -1 : owed::matched;
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
            ticker.scheduleAtFixedRate(() -> report.progress(label, side, seconds(start), sender.sentSoFar(), workload.records(),
                    events.getAsLong(), workload.owedEvents()), 1, 1, TimeUnit.SECONDS);
            WorkloadSender.Sent sent;
            long committedAt;
            try {
                sent = sender.send(workload, inputs.get(0), inputs.get(1), owed);
                Map<TopicPartition, Long> target = progress.endOffsets(inputs);
                long deadline = sent.lastAck() + options.timeout().toNanos();
                committedAt = progress.awaitCommitted(group, before, target, deadline);
                if (committedAt < 0) {
                    problems.add(label + " " + side + ": group " + group + " did not commit the end of its input within --timeout "
                            + options.timeout().toSeconds() + " s: " + progress.lagDescription(group, before, target)
                            + (rules ? " (is the rules service running, with this application id, and does it consume every input?)" : ""));
                }
                if (owed != null) {
                    while (!owed.complete() && OwedEvents.now() < deadline) {
                        TimeUnit.NANOSECONDS.sleep(WAIT_NANOS);
                    }
                    if (owed.complete() && !options.linger().isZero()) {
                        Thread.sleep(options.linger());
                    }
                }
            } finally {
                ticker.shutdownNow();
                ticker.awaitTermination(5, TimeUnit.SECONDS);
            }
            double completedSeconds = committedAt < 0 ? 0 : (committedAt - sent.firstSend()) / 1e9;
            RulesBenchResult.Phase phase = new RulesBenchResult.Phase(side, sent.records(), workload.samples(), sent.seconds(),
                    sent.seconds() > 0 ? sent.records() / sent.seconds() : 0, committedAt >= 0, completedSeconds,
                    completedSeconds > 0 ? sent.records() / completedSeconds : 0,
                    completedSeconds > 0 ? workload.samples() / completedSeconds : 0);
            report.phaseDone(label, phase, owed);
            return new Measured(phase, owed);
        }

        private static long seconds(long since) {
            return TimeUnit.NANOSECONDS.toSeconds(OwedEvents.now() - since);
        }
    }
}
