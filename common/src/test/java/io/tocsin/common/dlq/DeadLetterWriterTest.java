package io.tocsin.common.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tocsin.common.kafka.KafkaClients;
import io.tocsin.common.kafka.KafkaSettings;
import io.tocsin.common.kafka.TopicProvisioner;
import io.tocsin.testing.KafkaBroker;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class DeadLetterWriterTest {

    @Test
    void writesTheOriginalBytesWithWhereAndWhyHeaders(KafkaBroker broker) {
        String prefix = "dlq" + System.nanoTime() + ".";
        KafkaClients clients = new KafkaClients(new KafkaSettings(broker.bootstrapServers(), prefix, Map.of(), true, 1, (short) -1,
                Duration.ofSeconds(30)), "test");
        TopicProvisioner provisioner = new TopicProvisioner(clients);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        DeadLetterWriter writer = new DeadLetterWriter(clients, provisioner, meters);
        try {
            var headers = new RecordHeaders().add("trace-id", "t-1".getBytes(StandardCharsets.UTF_8));
            var original = new ConsumerRecord<>("src-topic", 2, 41L, 0L, TimestampType.CREATE_TIME, 1, 3,
                    "key".getBytes(StandardCharsets.UTF_8), "bad".getBytes(StandardCharsets.UTF_8), headers, java.util.Optional.empty());

            writer.send("test/stage", original, new IllegalArgumentException("x".repeat(5000)));

            var dead = TopicReader.readAll(broker.bootstrapServers(), prefix + "dlq", Duration.ofSeconds(10));
            assertThat(dead).hasSize(1);
            var record = dead.getFirst();
            assertThat(record.key()).isEqualTo("key".getBytes(StandardCharsets.UTF_8));
            assertThat(record.value()).isEqualTo("bad".getBytes(StandardCharsets.UTF_8));
            assertThat(DeadLetterHeaders.text(record.headers(), "trace-id")).isEqualTo("t-1");
            assertThat(DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("src-topic");
            assertThat(DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("2");
            assertThat(DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("41");
            assertThat(DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.ERROR_CLASS)).isEqualTo(IllegalArgumentException.class.getName());
            assertThat(DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.ERROR_MESSAGE)).hasSize(DeadLetterHeaders.MAX_MESSAGE + 3);
            assertThat(DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.STAGE)).isEqualTo("test/stage");
            assertThat(meters.get(DeadLetterMeter.NAME).tags("service", "test", "stage", "test/stage", "topic", "src-topic").counter().count())
                    .isEqualTo(1.0);
            assertThat(meters.find(DeadLetterMeter.NAME).counters()).as("one series, nothing else counted").hasSize(1);
        } finally {
            writer.close();
        }
    }
}
