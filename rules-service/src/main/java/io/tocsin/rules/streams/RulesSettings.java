package io.tocsin.rules.streams;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.annotation.Nullable;

/**
 * The rules service's Kafka Streams settings ({@code tocsin.rules.*}).
 *
 * @param applicationId  Streams application id: consumer group and prefix of internal topics
 * @param stateDir       where local state (RocksDB) lives; defaults to a directory under java.io.tmpdir
 * @param streamThreads  processing threads
 * @param enabled        whether this process runs the topology (the standalone and the rules service do)
 * @param commitInterval Streams commit interval: under exactly-once the floor of end-to-end latency
 * @param rulesDir       a directory of {@code *.yaml} rules files loaded after the shipped defaults (a rule of the
 *                       same type replaces the default one); an invalid file fails the start naming file, rule and
 *                       field
 * @param grace          how far behind the newest sample of its series an out-of-order sample still counts in a
 *                       window aggregate (older ones are dropped and counted)
 * @param heartbeatInterval how often hosts are expected to send samples
 * @param heartbeatMissed how many intervals without a sample raise HostHeartbeatLost (also used for sources)
 * @param heartbeatSources expected intervals of raw-alarm sources by name ({@code 60s}, {@code 5m}, {@code PT1M}),
 *                       for sources that do not declare one with the label {@code tocsin.expected-interval}
 * @param checkInterval  wall-clock period of the heartbeat, silence-release and timed-escalation checks
 * @param statusFlushInterval how often host and source status reach the state stores the unified view reads
 * @param advertisedAddress {@code host:port} at which the other rules-service instances reach this one's HTTP API
 *                       (Kafka Streams {@code application.server}); defaults to {@code localhost:<server port>}, right
 *                       for a single instance. In Kubernetes set it to the pod's address.
 */
@ConfigurationProperties("tocsin.rules")
public record RulesSettings(@Bindable(defaultValue = "tocsin-rules") String applicationId,
                            @Nullable String stateDir,
                            @Bindable(defaultValue = "1") int streamThreads,
                            @Bindable(defaultValue = "true") boolean enabled,
                            @Bindable(defaultValue = "10ms") java.time.Duration commitInterval,
                            @Nullable String rulesDir,
                            @Bindable(defaultValue = "5m") java.time.Duration grace,
                            @Bindable(defaultValue = "30s") java.time.Duration heartbeatInterval,
                            @Bindable(defaultValue = "3") int heartbeatMissed,
                            @Nullable java.util.Map<String, String> heartbeatSources,
                            @Bindable(defaultValue = "5s") java.time.Duration checkInterval,
                            @Bindable(defaultValue = "1s") java.time.Duration statusFlushInterval,
                            @Nullable String advertisedAddress) {
}
