package io.tocsin.common.kafka;

import io.tocsin.schema.topics.TopicSpec;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the catalogue's topics that are missing, with the configured partitions and replication and each
 * topic's cleanup policy and retention. It never alters or deletes a topic that exists: operators may have
 * tuned it. Every bean that reads or writes Kafka depends on this one, so provisioning happens first; it waits
 * for Kafka up to {@code tocsin.kafka.startup-timeout} and then fails the start with a clear message.
 */
@Singleton
public class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private final KafkaClients clients;

    public TopicProvisioner(KafkaClients clients) {
        this.clients = clients;
    }

    @PostConstruct
    void provision() {
        KafkaSettings settings = clients.settings();
        if (!settings.provisionTopics()) {
            LOG.info("Topic provisioning is off (tocsin.kafka.provision-topics=false): the topics must exist");
            return;
        }
        Instant deadline = Instant.now().plus(settings.startupTimeout());
        Admin admin = clients.newAdmin("provisioner");
        try {
            while (true) {
                try {
                    createMissing(admin, settings, Duration.between(Instant.now(), deadline));
                    return;
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("Kafka at " + settings.bootstrapServers() + " did not answer within "
                                + settings.startupTimeout() + " (tocsin.kafka.startup-timeout): " + rootMessage(e), e);
                    }
                    LOG.warn("Waiting for Kafka at {}: {}", settings.bootstrapServers(), rootMessage(e));
                    sleep(Duration.ofSeconds(1));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while provisioning topics", e);
        } finally {
            // Bounded: a close waits for calls still pending against an unreachable cluster otherwise.
            admin.close(Duration.ofSeconds(2));
        }
    }

    private void createMissing(Admin admin, KafkaSettings settings, Duration remaining)
            throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        long waitMillis = Math.clamp(remaining.toMillis(), 500L, 15_000L);
        Set<String> existing = admin.listTopics().names().get(waitMillis, TimeUnit.MILLISECONDS);
        Optional<Short> replication = settings.replicationFactor() > 0 ? Optional.of(settings.replicationFactor()) : Optional.empty();
        List<NewTopic> missing = clients.topics().all().stream()
                .filter(topic -> !existing.contains(topic.name()))
                .map(topic -> newTopic(topic, settings.partitions(), replication))
                .toList();
        if (missing.isEmpty()) {
            return;
        }
        admin.createTopics(missing).values().forEach((name, future) -> {
            try {
                future.get(30, TimeUnit.SECONDS);
                LOG.info("Created topic {}", name);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + name + ": " + rootMessage(e), e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + name, e);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("timed out creating topic " + name, e);
            }
        });
        awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
    }

    /**
     * Waits (up to 30 s) until every partition of the new topics has a leader: a producer that writes to a partition
     * whose leader is still being elected gets NOT_LEADER_OR_FOLLOWER, and an idempotent producer with several
     * batches in flight can then stall on out-of-order sequence errors until its delivery timeout (seen in CI on
     * the first ingest request after start).
     */
    private static void awaitLeaders(Admin admin, List<String> names) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                boolean ready = admin.describeTopics(names).allTopicNames().get(5, TimeUnit.SECONDS).values().stream()
                        .flatMap(topic -> topic.partitions().stream())
                        .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
                if (ready) {
                    return;
                }
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                // Not visible yet: look again.
            }
            Thread.sleep(100);
        }
        LOG.warn("Partitions of {} have no leader after 30 s; producers retry until they do", names);
    }

    private static NewTopic newTopic(TopicSpec<?, ?> topic, int partitions, Optional<Short> replication) {
        return new NewTopic(topic.name(), Optional.of(partitions), replication).configs(topic.configs());
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }
}
