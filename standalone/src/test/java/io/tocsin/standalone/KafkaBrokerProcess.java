package io.tocsin.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A one-node Kafka broker (KRaft, combined broker and controller) in its own process, started the way an operator
 * starts one: {@code kafka-storage format} then {@code kafka-server-start}, i.e. the {@code kafka.tools.StorageTool}
 * and {@code kafka.Kafka} main classes, here from the standalone jar that carries Kafka's server classes.
 */
final class KafkaBrokerProcess implements AutoCloseable {

    private final ServiceProcess process;
    private final String bootstrapServers;

    private KafkaBrokerProcess(ServiceProcess process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    /** Formats a fresh log directory under {@code workDir} and starts the broker; returns once it answers. */
    static KafkaBrokerProcess start(Path classpath, Path workDir) throws Exception {
        int brokerPort = StandaloneJarIT.freePort();
        int controllerPort = StandaloneJarIT.freePort();
        Path config = workDir.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@localhost:" + controllerPort,
                "listeners=PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort,
                "advertised.listeners=PLAINTEXT://localhost:" + brokerPort,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + workDir.resolve("kafka-log").toAbsolutePath(),
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=3",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false", ""));
        String cp = classpath.toAbsolutePath().toString();
        ServiceProcess format = ServiceProcess.start("kafka-storage-format", 0, workDir, List.of("-cp", cp,
                "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()));
        assertThat(format.waitFor(Duration.ofSeconds(60))).as("kafka-storage format exit; log:%n%s", format.logText()).isZero();
        ServiceProcess broker = ServiceProcess.start("kafka", brokerPort, workDir,
                List.of("-Xmx512m", "-cp", cp, "kafka.Kafka", config.toString()));
        KafkaBrokerProcess started = new KafkaBrokerProcess(broker, "localhost:" + brokerPort);
        started.awaitReady(Duration.ofSeconds(60));
        return started;
    }

    private void awaitReady(Duration timeout) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()))) {
            assertThat(admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the broker answers; log:%n%s", process.logText()).hasSize(1);
        }
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
