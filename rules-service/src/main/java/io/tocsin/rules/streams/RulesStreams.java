package io.tocsin.rules.streams;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.tocsin.common.kafka.KafkaClients;
import io.tocsin.common.kafka.TopicProvisioner;
import io.tocsin.rules.definition.Durations;
import io.tocsin.rules.definition.RuleSet;
import io.tocsin.rules.topology.AlarmLifecycleTopology;
import io.tocsin.rules.topology.RulesMetrics;
import io.tocsin.rules.topology.TopologySettings;
import jakarta.annotation.PreDestroy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link AlarmLifecycleTopology} with exactly-once (v2) processing. Started with the application context
 * (after topic provisioning) and closed leaving the consumer group, so a restarted instance gets its
 * partitions at once instead of waiting for the session timeout. A crashed stream thread is replaced: it
 * resumes from the last committed transaction.
 *
 * <p>Its Kafka Streams metrics (with those of its embedded clients) are on {@code /prometheus} as
 * {@code kafka_stream_*}, {@code kafka_consumer_*}, {@code kafka_producer_*}, and its application id is a consumer
 * group whose lag is reported ({@code tocsin_consumer_lag}). The topology's own counts (events by status and
 * severity, dead letters, late samples) are in {@code tocsin_rules_*} and {@code tocsin_dlq_records_total}
 * ({@link io.tocsin.rules.topology.MeterRulesMetrics}).
 */
@Context
@Requires(property = "tocsin.rules.enabled", notEquals = "false")
public class RulesStreams {

    private static final Logger LOG = LoggerFactory.getLogger(RulesStreams.class);

    private final KafkaStreams streams;
    private final HostInfo applicationServer;
    private final MeterRegistry meters;
    private KafkaStreamsMetrics streamsMetrics;

    public RulesStreams(KafkaClients clients, TopicProvisioner provisioned, RulesSettings settings, RuleSet rules, MeterRegistry meters,
                        @Value("${micronaut.server.port:8082}") int serverPort) {
        Properties props = new Properties();
        props.putAll(clients.common());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.streamThreads());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) clients.settings().replicationFactor());
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir() != null ? settings.stateDir()
                : Path.of(System.getProperty("java.io.tmpdir"), "tocsin-streams").toString());
        // Under exactly-once, events become visible to the dispatcher (read_committed) only when the transaction
        // commits: the commit interval is the floor of the pipeline's latency. 10 ms keeps an idle pipeline within
        // milliseconds; commits are cheap on an idle stream and batch naturally under load.
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int) settings.commitInterval().toMillis());
        props.put(StreamsConfig.producerPrefix("linger.ms"), 1);
        props.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 15_000);
        // Interactive queries: the address other instances use to reach this one's HTTP API for the keys it owns.
        // A random port (tests) is unknown here: such an instance answers for its own keys only.
        if (settings.advertisedAddress() != null && !settings.advertisedAddress().isBlank()) {
            applicationServer = HostInfo.buildFromEndpoint(settings.advertisedAddress().strip());
        } else if (serverPort > 0) {
            applicationServer = new HostInfo("localhost", serverPort);
        } else {
            applicationServer = null;
        }
        if (applicationServer != null) {
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer.host() + ":" + applicationServer.port());
        }
        streams = new KafkaStreams(AlarmLifecycleTopology.build(clients.topics(), rules, topologySettings(settings), RulesMetrics.of(meters)), props);
        this.meters = meters;
        clients.registerGroup(settings.applicationId());
        bindMetrics();
        // Task, processor and topic metrics are created when tasks are assigned, and Micrometer looks for new
        // Kafka metrics only once a minute: binding again on each (re)entry to RUNNING shows them at once.
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                bindMetrics();
            }
        });
        streams.setUncaughtExceptionHandler(error -> {
            LOG.error("Stream thread failed; replacing it", error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        LOG.info("Rules topology started (application id {})", settings.applicationId());
    }

    static TopologySettings topologySettings(RulesSettings settings) {
        Map<String, Duration> sources = new HashMap<>();
        if (settings.heartbeatSources() != null) {
            settings.heartbeatSources().forEach((source, text) -> {
                Duration interval = Durations.parse(text);
                if (interval == null) {
                    throw new IllegalArgumentException("tocsin.rules.heartbeat-sources." + source + ": '" + text
                            + "' is not an interval (write 60s, 5m, 1h, 500ms or PT1M)");
                }
                sources.put(source, interval);
            });
        }
        return new TopologySettings(settings.grace(), settings.heartbeatInterval(), settings.heartbeatMissed(), sources,
                settings.checkInterval(), settings.statusFlushInterval());
    }

    /** The running Streams instance, for interactive queries of its state stores. */
    public KafkaStreams streams() {
        return streams;
    }

    /**
     * This instance's Streams {@code application.server}, the address the other instances reach it at; empty when it
     * is unknown (a random HTTP port and no {@code tocsin.rules.advertised-address}): the instance then answers from
     * its own partitions only.
     */
    public Optional<HostInfo> applicationServer() {
        return Optional.ofNullable(applicationServer);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** (Re)binds the Streams metrics; a failure only costs the metrics. */
    private synchronized void bindMetrics() {
        unbindMetrics();
        try {
            KafkaStreamsMetrics bound = new KafkaStreamsMetrics(streams);
            bound.bindTo(meters);
            streamsMetrics = bound;
        } catch (RuntimeException e) {
            LOG.warn("Kafka Streams metrics are not bound: {}", e.toString());
        }
    }

    private synchronized void unbindMetrics() {
        if (streamsMetrics != null) {
            streamsMetrics.close();
            streamsMetrics = null;
        }
    }

    @PreDestroy
    void close() {
        try {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(15)));
        } finally {
            unbindMetrics();
        }
    }
}
