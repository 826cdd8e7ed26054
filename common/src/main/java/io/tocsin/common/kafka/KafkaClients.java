package io.tocsin.common.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.tocsin.schema.topics.TopicCatalogue;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Builds Kafka clients from {@link KafkaSettings}: the bootstrap servers, then the pass-through properties (so
 * TLS/SASL apply to every client), then what the caller's role requires. Producers are idempotent with
 * {@code acks=all}: nothing is acknowledged to a sender before every in-sync replica has it.
 *
 * <p>Every producer, consumer and admin client built here carries its Kafka client metrics on {@code /prometheus}
 * ({@link ClientMeters}: bound when built, removed when closed) under a client id unique in this process. The consumer
 * groups of this process (those of {@link #newConsumer(String, String)}, and those declared with
 * {@link #registerGroup(String)}) are what {@code ConsumerLagMetrics} reports the lag of.
 *
 * <p>Error contract: building a client fails as Kafka's constructors do (a bad configuration); metrics never make it fail.
 */
@Singleton
public class KafkaClients {

    private final KafkaSettings settings;
    private final TopicCatalogue topics;
    private final String instance;
    private final ClientMeters meters;
    private final Set<String> groups = ConcurrentHashMap.newKeySet();

    /** Clients without metrics (unit tests): ids are still made unique. */
    public KafkaClients(KafkaSettings settings, String instance) {
        this(settings, instance, null);
    }

    /** Clients whose Kafka metrics are bound to {@code registry} (when there is one). */
    @Inject
    public KafkaClients(KafkaSettings settings, @Value("${micronaut.application.name:tocsin}") String instance,
                        @Nullable MeterRegistry registry) {
        this.settings = settings;
        this.topics = new TopicCatalogue(settings.topicPrefix());
        this.instance = instance;
        this.meters = new ClientMeters(registry);
    }

    public TopicCatalogue topics() {
        return topics;
    }

    public KafkaSettings settings() {
        return settings;
    }

    /** Bootstrap servers plus the pass-through properties, as every client gets them. */
    public Map<String, Object> common() {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.putAll(settings.properties());
        return props;
    }

    public Map<String, Object> producerConfig(String role) {
        Map<String, Object> props = common();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, instance + "-" + role);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // 1 ms, not Kafka's 5: every HTTP ingest waits for its acknowledgement, so linger is added to each request's
        // latency; under load batches still fill while earlier requests are in flight.
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return props;
    }

    /** A byte-level, idempotent producer; callers serialise with the topic catalogue's serdes. */
    public KafkaProducer<byte[], byte[]> newProducer(String role) {
        return newProducer(producerConfig(role));
    }

    /**
     * A metered byte-level producer of a configuration the caller adjusted (usually {@link #producerConfig} with a
     * setting changed); its {@code client.id} gets a suffix when another live client of this process has it.
     */
    public KafkaProducer<byte[], byte[]> newProducer(Map<String, Object> config) {
        return MeteredProducer.create(meters, config);
    }

    /**
     * A byte-level consumer of committed data only, committing manually: callers commit after they have handled
     * a record (delivered it, or written it to the DLQ), so nothing is lost on a crash.
     */
    public KafkaConsumer<byte[], byte[]> newConsumer(String groupId, String role) {
        Map<String, Object> props = common();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, instance + "-" + role);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return newConsumer(props);
    }

    /**
     * A metered byte-level consumer of a configuration the caller built (from {@link #common()}); its group, if it
     * has one, is reported by the lag metrics.
     */
    public KafkaConsumer<byte[], byte[]> newConsumer(Map<String, Object> config) {
        Object group = config.get(ConsumerConfig.GROUP_ID_CONFIG);
        if (group != null && !group.toString().isBlank()) {
            registerGroup(group.toString());
        }
        return MeteredConsumer.create(meters, config);
    }

    public Admin newAdmin() {
        return newAdmin("admin");
    }

    /** A metered admin client, {@code client.id} {@code <application>-<role>}. */
    public Admin newAdmin(String role) {
        Map<String, Object> props = common();
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, instance + "-" + role);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        return meters.admin(props);
    }

    /**
     * Declares a consumer group this process consumes in without a consumer of {@link #newConsumer}, such as a
     * Kafka Streams application id, so that its lag is reported.
     */
    public void registerGroup(String groupId) {
        groups.add(groupId);
    }

    /** The consumer groups of this process, for the lag metrics. */
    public Set<String> consumerGroups() {
        return Set.copyOf(groups);
    }
}
