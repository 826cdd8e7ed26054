package io.tocsin.dispatcher.integration;

import io.tocsin.common.kafka.CompactedTopicReader;
import io.tocsin.common.kafka.KafkaClients;
import io.tocsin.common.kafka.TopicProvisioner;
import io.tocsin.common.security.SecretBox;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.schema.Integration;
import io.tocsin.schema.topics.TopicSpec;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The integrations created through the API, on the compacted {@code tocsin.integrations} keyed by id (tombstone =
 * deleted). Every dispatcher instance reads the whole topic and keeps following it (within a second of a change),
 * applying each integration to its {@link IntegrationRegistry}. Secret settings (those the channel declares,
 * {@link Notifier#isSecret}) are sealed with {@link SecretBox} before they are written, bound to the integration id
 * and setting name, and opened only in memory.
 *
 * <p>Error contract: {@link #save} and {@link #delete} return once Kafka has the change and this instance has
 * applied it (read-your-writes for the API), or throw {@link IllegalStateException} when Kafka did not take it;
 * {@link SecretBox.MissingKeyException} when a secret must be stored and no key is configured. A stored
 * integration whose secrets do not decrypt (a changed key) is left out, with an error in the log.
 */
@Singleton
public class IntegrationStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IntegrationStore.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(15);

    private final IntegrationRegistry registry;
    private final SecretBox secrets;
    private final TopicSpec<String, Integration> topic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final CompactedTopicReader reader;

    public IntegrationStore(KafkaClients clients, TopicProvisioner provisioned, IntegrationRegistry registry, SecretBox secrets) {
        this.registry = registry;
        this.secrets = secrets;
        this.topic = clients.topics().integrations();
        this.producer = clients.newProducer("integrations");
        this.reader = new CompactedTopicReader(clients, topic.name(), Duration.ofMillis(100), this::apply).start();
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return reader.awaitCaughtUp(timeout);
    }

    /** Stores (creates or replaces) an integration whose settings are in clear text. */
    public void save(IntegrationConfig integration) {
        Map<String, String> sealed = new LinkedHashMap<>();
        Notifier notifier = registry.notifierFor(integration);
        integration.settings().forEach((name, value) -> sealed.put(name,
                notifier.isSecret(name) && !value.isEmpty() ? secrets.seal(value, context(integration.id(), name)) : value));
        Integration record = Integration.newBuilder()
                .setId(integration.id())
                .setName(integration.name())
                .setService(integration.service())
                .setConfig(sealed)
                .setClusters(integration.clusters())
                .setEvents(integration.events())
                .setEnabled(integration.enabled())
                .setSendEnded(integration.sendEnded())
                .setBackfill(integration.backfill())
                .setCreatedAt(integration.createdAt())
                .build();
        write(integration.id(), topic.valueSerde().serializer().serialize(topic.name(), record));
    }

    public void delete(String id) {
        write(id, null);
    }

    private void write(String id, byte[] value) {
        try {
            RecordMetadata written = producer.send(new ProducerRecord<>(topic.name(), id.getBytes(StandardCharsets.UTF_8), value))
                    .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            reader.awaitHandled(written.partition(), written.offset(), WRITE_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing integration " + id, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not take the change of integration " + id + ": " + e.getMessage(), e);
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        try {
            if (record.key() == null) {
                return;
            }
            String id = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() == null) {
                registry.remove(id);
                return;
            }
            Integration stored = topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
            if (registry.notifier(stored.getService()).isEmpty()) {
                // E.g. written by a newer Tocsin with more channels: leave it out rather than fail its deliveries.
                LOG.error("Integration {} ({}) is left out: this dispatcher has no '{}' channel", id, stored.getName(), stored.getService());
                registry.remove(id);
                return;
            }
            Map<String, String> settings = new LinkedHashMap<>();
            for (Map.Entry<String, String> setting : stored.getConfig().entrySet()) {
                String value = setting.getValue();
                settings.put(setting.getKey(), SecretBox.isSealed(value) ? secrets.open(value, context(id, setting.getKey())) : value);
            }
            registry.put(new IntegrationConfig(id, stored.getName(), stored.getService(), settings, stored.getClusters(),
                    stored.getEvents(), stored.getEnabled(), stored.getSendEnded(), stored.getBackfill(), stored.getCreatedAt(), false));
        } catch (RuntimeException e) {
            LOG.error("Integration record {}-{}@{} is left out: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }

    /** Associated data of a sealed setting: a ciphertext only opens for the same integration and setting. */
    static String context(String integrationId, String setting) {
        return "integration/" + integrationId + "/" + setting;
    }

    @PreDestroy
    @Override
    public void close() {
        reader.close();
        producer.close(Duration.ofSeconds(5));
    }
}
