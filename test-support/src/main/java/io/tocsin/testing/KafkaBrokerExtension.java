package io.tocsin.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real Kafka broker: {@code @ExtendWith(KafkaBrokerExtension.class)}, then take a
 * {@link KafkaBroker} parameter or call {@link #broker()}.
 *
 * <p>By default the broker is an in-JVM KRaft node ({@link InJvmKafkaBroker}, about 3 s to start); with
 * {@code -Dtocsin.kafka=container} it is a Testcontainers Kafka container. One broker serves every test of the
 * JVM (started on first use, closed at JVM exit), so tests must use their own topics, topic prefix or
 * consumer groups.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {

    private static KafkaBroker broker;

    /** The JVM's shared broker, started on first call. */
    public static synchronized KafkaBroker broker() {
        if (broker == null) {
            broker = startPrivateBroker();
            System.out.println("[tocsin-test] Kafka broker: " + broker.description());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    closeBroker();
                } catch (Exception e) {
                    // The JVM is exiting; nothing is left to clean up for.
                }
            }, "test-kafka-shutdown"));
        }
        return broker;
    }

    /**
     * A broker of the test's own (same kind as the shared one), for a test that stops Kafka under a running
     * service; the caller closes it.
     */
    public static KafkaBroker startPrivateBroker() {
        String mode = System.getProperty("tocsin.kafka", "in-jvm");
        try {
            return switch (mode) {
                case "in-jvm", "" -> new InJvmKafkaBroker();
                case "container" -> new ContainerKafkaBroker(System.getProperty("tocsin.kafka.image", "apache/kafka:4.2.0"));
                default -> throw new IllegalArgumentException("-Dtocsin.kafka must be 'in-jvm' or 'container', was '" + mode + "'");
            };
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start a test Kafka broker", e);
        }
    }

    /**
     * Starts the broker and has JUnit close it when the whole test run ends (the root context's store), while
     * the JVM is still fully alive: closing a KRaft node inside a JVM shutdown hook, racing the test fork's own
     * exit, made forks exit non-zero ("Error occurred in starting fork") now and then. The shutdown hook stays as
     * a fallback for a broker started outside JUnit's lifecycle.
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        broker();
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(ClosesTheBroker.class, key -> new ClosesTheBroker(), ClosesTheBroker.class);
    }

    /** Closes the shared broker once, at the end of the test run. */
    @SuppressWarnings("deprecation") // CloseableResource: still what JUnit 5 calls for store values
    private static final class ClosesTheBroker implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Exception {
            closeBroker();
        }
    }

    /** Closes the shared broker if it is running; safe to call twice (the store and the shutdown hook). */
    static synchronized void closeBroker() throws Exception {
        if (broker != null) {
            KafkaBroker running = broker;
            broker = null;
            running.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return broker();
    }
}
