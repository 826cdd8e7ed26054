package io.tocsin.common.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds every Kafka client {@link KafkaClients} builds to Micrometer ({@link KafkaClientMetrics}: the
 * {@code kafka_producer_*}, {@code kafka_consumer_*} and {@code kafka_admin_client_*} series of {@code /prometheus})
 * and unbinds it when the client is closed, so a client replaced after a failure leaves no stale series behind.
 *
 * <p>Client ids are made unique among the clients alive in this process ({@code tocsin-dlq}, then
 * {@code tocsin-dlq-2} while the first is open): the meters are keyed by {@code client.id}, and two clients sharing
 * one id would share one set of meters, the second reading nothing and the first one's close removing both.
 *
 * <p>Error contract: metrics never stop a client. A binding that fails is logged and the client is returned
 * unmetered; without a registry (plain unit tests) clients are only given unique ids.
 */
final class ClientMeters {

    private static final Logger LOG = LoggerFactory.getLogger(ClientMeters.class);

    private final MeterRegistry registry;
    private final Set<String> liveIds = new HashSet<>();

    ClientMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** What closes a client's binding: removes its meters and frees its client id; safe to call twice. */
    static final class Binding {
        private final ClientMeters owner;
        private final String clientId;
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile KafkaClientMetrics metrics;

        private Binding(ClientMeters owner, String clientId) {
            this.owner = owner;
            this.clientId = clientId;
        }

        void bind(Function<String, KafkaClientMetrics> binder) {
            if (owner.registry == null) {
                return;
            }
            try {
                KafkaClientMetrics bound = binder.apply(clientId);
                bound.bindTo(owner.registry);
                metrics = bound;
            } catch (RuntimeException e) {
                LOG.warn("Kafka client {} runs without metrics: binding them failed: {}", clientId, e.toString());
            }
        }

        void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            KafkaClientMetrics bound = metrics;
            if (bound != null) {
                try {
                    bound.close();
                } catch (RuntimeException e) {
                    LOG.debug("Unbinding the metrics of Kafka client {} failed: {}", clientId, e.toString());
                }
            }
            owner.release(clientId);
        }
    }

    /**
     * Claims a unique client id for {@code config} (its {@code client.id} when free, else with a {@code -2},
     * {@code -3} ... suffix) and returns a copy of the config carrying it, plus the binding to close with the client.
     */
    Map.Entry<Map<String, Object>, Binding> claim(Map<String, Object> config) {
        Object requested = config.get(CommonClientConfigs.CLIENT_ID_CONFIG);
        String base = requested == null || requested.toString().isBlank() ? "tocsin" : requested.toString();
        String id;
        synchronized (liveIds) {
            id = base;
            for (int n = 2; liveIds.contains(id); n++) {
                id = base + "-" + n;
            }
            liveIds.add(id);
        }
        Map<String, Object> copy = new HashMap<>(config);
        copy.put(CommonClientConfigs.CLIENT_ID_CONFIG, id);
        return Map.entry(copy, new Binding(this, id));
    }

    private void release(String clientId) {
        synchronized (liveIds) {
            liveIds.remove(clientId);
        }
    }

    /**
     * An admin client whose {@code close} also unbinds its meters. {@link Admin#create} returns a class with
     * private constructors, so it is wrapped by a proxy of the {@link Admin} interface that forwards every call.
     */
    Admin admin(Map<String, Object> config) {
        Map.Entry<Map<String, Object>, Binding> claimed = claim(config);
        Binding binding = claimed.getValue();
        Admin admin;
        try {
            admin = Admin.create(claimed.getKey());
        } catch (RuntimeException e) {
            binding.close();
            throw e;
        }
        if (admin instanceof AdminClient client) {
            binding.bind(id -> new KafkaClientMetrics(client));
        }
        InvocationHandler forward = (proxy, method, args) -> {
            if (method.getName().equals("close")) {
                try {
                    return method.invoke(admin, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                } finally {
                    binding.close();
                }
            }
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "Admin[" + claimed.getKey().get(CommonClientConfigs.CLIENT_ID_CONFIG) + "]";
                };
            }
            try {
                return method.invoke(admin, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(), new Class<?>[] {Admin.class}, forward);
    }
}
