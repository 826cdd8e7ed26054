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
                            @Nullable String advertisedAddress) {
}
