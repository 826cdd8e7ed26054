package io.tocsin.testing;

/** A running Kafka broker that tests talk to. */
public interface KafkaBroker extends AutoCloseable {

    /** {@code host:port} list for {@code bootstrap.servers}. */
    String bootstrapServers();

    /** What kind of broker it is, for test logs: {@code in-JVM KRaft} or {@code container apache/kafka:...}. */
    String description();
}
