package io.tocsin.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A Kafka broker in a container (Testcontainers), for {@code -Dtocsin.kafka=container} on a machine with a
 * Docker engine. Image: {@code -Dtocsin.kafka.image}, default {@code apache/kafka:4.2.0}. Without Docker the
 * tests fail with a message saying so; they are never skipped.
 */
final class ContainerKafkaBroker implements KafkaBroker {

    private final KafkaContainer container;

    ContainerKafkaBroker(String image) {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("-Dtocsin.kafka=container needs a Docker engine, and none is reachable here. "
                    + "Run without -Dtocsin.kafka to use the in-JVM KRaft broker.");
        }
        container = new KafkaContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("apache/kafka"));
        container.start();
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public String description() {
        return "container " + container.getDockerImageName() + " at " + bootstrapServers();
    }

    @Override
    public void close() {
        container.stop();
    }
}
