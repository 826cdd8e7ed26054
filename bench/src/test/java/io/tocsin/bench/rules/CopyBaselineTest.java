package io.tocsin.bench.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tocsin.testing.KafkaBroker;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.TopicReader;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The copy baseline and the commit watcher on the real test broker: a workload sent to the baseline's scratch
 * input is copied record for record, the watcher sees the baseline's group commit the end of the input, and the
 * scratch topics are gone afterwards. A group that commits nothing is reported behind, naming the partitions.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CopyBaselineTest {

    String bootstrap;
    Admin admin;
    String prefix;
    Map<String, TopicDescription> tocsinTopics;

    @BeforeEach
    void tocsinLikeRawTopics(KafkaBroker broker) throws Exception {
        bootstrap = broker.bootstrapServers();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        prefix = "cb" + UUID.randomUUID().toString().substring(0, 8) + ".";
        admin.createTopics(List.of(new NewTopic(prefix + "raw.metrics", 2, (short) 1), new NewTopic(prefix + "raw.alarms", 3, (short) 1)))
                .all().get(30, TimeUnit.SECONDS);
        // The broker learns of topics a moment after the controller created them ("does not host this topic-partition").
        io.tocsin.testing.Eventually.within(java.time.Duration.ofSeconds(15), () -> {
            try {
                tocsinTopics = new CommitProgress(admin).describe(List.of(prefix + "raw.metrics", prefix + "raw.alarms"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @AfterEach
    void close() {
        admin.close();
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    static List<String> keyValues(List<ConsumerRecord<byte[], byte[]>> records) {
        List<String> pairs = new ArrayList<>(records.stream()
                .map(r -> new String(r.key()) + "=" + Base64.getEncoder().encodeToString(r.value())).toList());
        pairs.sort(null);
        return pairs;
    }

    @Test
    void theSameRecordsAreCopiedOnceAndTheCommitOfTheirEndIsSeen() throws Exception {
        Workload workload = new Workload("bench-cb-1", 4, 10, 15, 3);
        CommitProgress progress = new CommitProgress(admin);
        CopyBaseline copy = CopyBaseline.start(admin, bootstrap, "cb" + System.nanoTime(), tocsinTopics.get(prefix + "raw.metrics"),
                tocsinTopics.get(prefix + "raw.alarms"));
        List<String> inputs = List.of(copy.metricsTopic(), copy.alarmsTopic());
        Map<String, TopicDescription> scratch = progress.describe(List.of(copy.metricsTopic(), copy.alarmsTopic(), copy.outTopic()));
        assertThat(scratch.get(copy.metricsTopic()).partitions()).as("shaped like Tocsin's raw topics").hasSize(2);
        assertThat(scratch.get(copy.alarmsTopic()).partitions()).hasSize(3);
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            Map<TopicPartition, Long> before = progress.endOffsets(inputs);
            WorkloadSender.Sent sent = new WorkloadSender(producer, 0).send(workload, copy.metricsTopic(), copy.alarmsTopic(), null);
            Map<TopicPartition, Long> target = progress.endOffsets(inputs);

            assertThat(sent.records()).isEqualTo(workload.records()).isEqualTo(10 * 4 * 5 + 30);
            assertThat(target.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(workload.records());
            long committedAt = progress.awaitCommitted(copy.group(), before, target, OwedEvents.now() + TimeUnit.SECONDS.toNanos(30));
            assertThat(committedAt).isGreaterThanOrEqualTo(sent.firstSend());
            assertThat(progress.committed(copy.group())).containsAllEntriesOf(target);
            assertThat(copy.copied()).isEqualTo(workload.records());
            assertThat(copy.sendErrors()).isZero();
            assertThat(copy.failure()).isNull();

            List<ConsumerRecord<byte[], byte[]>> in = new ArrayList<>(TopicReader.readAll(bootstrap, copy.metricsTopic(), Duration.ofSeconds(30)));
            in.addAll(TopicReader.readAll(bootstrap, copy.alarmsTopic(), Duration.ofSeconds(30)));
            List<ConsumerRecord<byte[], byte[]>> out = TopicReader.readAll(bootstrap, copy.outTopic(), Duration.ofSeconds(30));
            assertThat(out).hasSize((int) workload.records());
            assertThat(keyValues(out)).isEqualTo(keyValues(in));
        } finally {
            assertThat(copy.cleanUp()).isNull();
        }
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                .doesNotContain(copy.metricsTopic(), copy.alarmsTopic(), copy.outTopic());
    }

    @Test
    void aGroupThatCommitsNothingIsBehindOnThePartitionsThatGrewOnly() throws Exception {
        CommitProgress progress = new CommitProgress(admin);
        List<String> inputs = List.of(prefix + "raw.metrics", prefix + "raw.alarms");
        Map<TopicPartition, Long> before = progress.endOffsets(inputs);
        assertThat(progress.awaitCommitted("nobody-" + prefix, before, before, OwedEvents.now()))
                .as("nothing grew: nothing to wait for").isPositive();

        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            new WorkloadSender(producer, 0).send(new Workload("bench-cb-2", 1, 0, 1, 0), inputs.get(0), inputs.get(1), null);
        }
        Map<TopicPartition, Long> target = progress.endOffsets(inputs);
        long start = OwedEvents.now();
        assertThat(progress.awaitCommitted("nobody-" + prefix, before, target, start + TimeUnit.MILLISECONDS.toNanos(300))).isEqualTo(-1);
        assertThat(OwedEvents.now() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        String lag = progress.lagDescription("nobody-" + prefix, before, target);
        assertThat(lag).matches(prefix.replace(".", "\\.") + "raw\\.alarms-[0-2] nothing committed/2").doesNotContain("metrics");
        assertThat(Arrays.stream(lag.split(", "))).hasSize(1);
    }

    @Test
    void aRecordKafkaRefusesStopsThePhaseNamingTheError() throws Exception {
        Workload workload = new Workload("bench-cb-3", 5, 20, 0, 0);
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            WorkloadSender sender = new WorkloadSender(producer, 0);
            assertThatThrownBy(() -> sender.send(workload, "not a topic!", prefix + "raw.alarms", null))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("Kafka refused a record (InvalidTopicException: ")
                    .hasMessageContaining("sending stopped after ")
                    .hasMessageEndingWith(" of 500 records");
            assertThat(sender.sentSoFar()).as("stopped early").isLessThan(workload.records());
        }
    }
}
