package io.tocsin.cloud.credentials;

import io.micronaut.http.HttpStatus;
import io.tocsin.common.http.ProblemException;
import io.tocsin.common.kafka.CompactedTopicReader;
import io.tocsin.common.kafka.KafkaClients;
import io.tocsin.common.kafka.TopicProvisioner;
import io.tocsin.common.security.SecretBox;
import io.tocsin.schema.topics.TopicSpec;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud credentials, on the compacted {@code tocsin.cloud.credentials} keyed by id (tombstone = deleted). Every
 * cloud-service instance reads the whole topic and keeps following it, so each holds every credential in memory,
 * its secret fields opened. Secret fields ({@link CredentialFields#isSecret}) are sealed with {@link SecretBox}
 * before they are written, bound to the credential id and field name, so a ciphertext copied to another
 * credential or field does not open.
 *
 * <p>Error contract: {@link #save} and {@link #delete} return once Kafka has the change and this instance has
 * applied it (read-your-writes for the API), and throw {@link ProblemException} 503 when Kafka did not take it;
 * {@link #save} throws {@link SecretBox.MissingKeyException} when a secret must be sealed and no key is configured.
 * Reads wait until the topic has been read to its end at start and answer 503 after {@value #READ_WAIT_SECONDS} s.
 * A stored credential whose secrets do not open (another {@code tocsin.secrets.key}, a tampered record) or whose
 * provider this version does not know is left out, with an error in the log that names its id and nothing of its
 * content.
 */
@Singleton
public class CredentialStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialStore.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(15);
    static final int READ_WAIT_SECONDS = 10;

    private final SecretBox secrets;
    private final TopicSpec<String, io.tocsin.schema.CloudCredential> topic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final CompactedTopicReader reader;
    private final Map<String, CloudCredential> credentials = new ConcurrentHashMap<>();
    private final List<Consumer<String>> deletionListeners = new CopyOnWriteArrayList<>();

    public CredentialStore(KafkaClients clients, TopicProvisioner provisioned, SecretBox secrets) {
        this.secrets = secrets;
        this.topic = clients.topics().cloudCredentials();
        this.producer = clients.newProducer("cloud-credentials");
        this.reader = new CompactedTopicReader(clients, topic.name(), Duration.ofMillis(100), this::apply).start();
    }

    /**
     * Calls {@code listener} with the id of every credential this store held and then read a deletion of, whichever
     * instance deleted it; on the reader's thread, so it must be quick and must not throw.
     */
    public void onDeleted(Consumer<String> listener) {
        deletionListeners.add(listener);
    }

    /** The credential with this id, secrets in clear text. */
    public Optional<CloudCredential> find(String id) {
        awaitRead();
        return Optional.ofNullable(credentials.get(id));
    }

    /** Every credential, by name. */
    public List<CloudCredential> all() {
        awaitRead();
        return credentials.values().stream()
                .sorted(Comparator.comparing(CloudCredential::name).thenComparing(CloudCredential::id)).toList();
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return reader.awaitCaughtUp(timeout);
    }

    /** Stores (creates or replaces) a credential given in clear text. */
    public void save(CloudCredential credential) {
        Map<String, String> sealed = new LinkedHashMap<>();
        credential.fields().forEach((field, value) -> sealed.put(field,
                CredentialFields.isSecret(field) && !value.isEmpty() ? secrets.seal(value, context(credential.id(), field)) : value));
        io.tocsin.schema.CloudCredential record = io.tocsin.schema.CloudCredential.newBuilder()
                .setId(credential.id())
                .setProvider(credential.provider().apiName())
                .setName(credential.name())
                .setComment(credential.comment())
                .setDefaultRegion(credential.defaultRegion())
                .setFields(sealed)
                .setCreatedAt(credential.createdAt())
                .setUpdatedAt(credential.updatedAt())
                .build();
        write(credential.id(), topic.valueSerde().serializer().serialize(topic.name(), record));
    }

    public void delete(String id) {
        write(id, null);
    }

    private void write(String id, byte[] value) {
        RecordMetadata written;
        try {
            written = producer.send(new ProducerRecord<>(topic.name(), id.getBytes(StandardCharsets.UTF_8), value))
                    .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Interrupted while storing cloud credential " + id);
        } catch (ExecutionException | TimeoutException e) {
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Kafka did not take the change of cloud credential " + id
                    + " (" + e.getClass().getSimpleName() + "); list the credentials and retry if it is missing");
        }
        try {
            if (!reader.awaitHandled(written.partition(), written.offset(), WRITE_TIMEOUT)) {
                // Kafka has it, so the answer stands; this instance's view catches up when its reader does.
                LOG.warn("Cloud credential {} is stored but not yet read back after {}", id, WRITE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitRead() {
        try {
            if (!reader.awaitCaughtUp(Duration.ofSeconds(READ_WAIT_SECONDS))) {
                throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "The cloud credentials are still being read from Kafka ("
                        + topic.name() + "); retry in a few seconds");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Interrupted while reading the cloud credentials");
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            return;
        }
        String id = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            if (credentials.remove(id) != null) {
                deletionListeners.forEach(listener -> listener.accept(id));
            }
            return;
        }
        io.tocsin.schema.CloudCredential stored;
        try {
            stored = topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
        } catch (RuntimeException e) {
            // The decoder's messages are about the bytes' framing and schema, never the (sealed) values.
            LOG.error("Cloud credential {} is left out: its record at {}-{}@{} does not decode ({})", id, record.topic(),
                    record.partition(), record.offset(), e.getMessage());
            credentials.remove(id);
            return;
        }
        Optional<Provider> provider = Provider.fromApiName(stored.getProvider());
        if (provider.isEmpty()) {
            // E.g. written by a newer Tocsin that knows more providers: left out rather than half understood.
            LOG.error("Cloud credential {} is left out: this cloud service does not know its provider", id);
            credentials.remove(id);
            return;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            stored.getFields().forEach((field, value) ->
                    fields.put(field, SecretBox.isSealed(value) ? secrets.open(value, context(id, field)) : value));
        } catch (RuntimeException e) {
            // No detail from the exception: whatever it says, it is about a secret.
            LOG.error("Cloud credential {} is left out: its secret fields do not open with this service's tocsin.secrets.key "
                    + "(none is set, or another key sealed them)", id);
            credentials.remove(id);
            return;
        }
        credentials.put(id, new CloudCredential(id, provider.get(), stored.getName(), stored.getComment(),
                stored.getDefaultRegion(), fields, stored.getCreatedAt(), stored.getUpdatedAt()));
    }

    /** Associated data of a sealed field: a ciphertext only opens for the same credential and field. */
    static String context(String credentialId, String field) {
        return "cloud-credential/" + credentialId + "/" + field;
    }

    @PreDestroy
    @Override
    public void close() {
        reader.close();
        producer.close(Duration.ofSeconds(5));
    }
}
