package io.tocsin.common.health;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.tocsin.common.kafka.KafkaClients;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;

/** {@code /health} component {@code kafka}: UP when the cluster answers a describe-cluster within 3 s. */
@Singleton
@Readiness
public class KafkaHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final Admin admin;
    private final String bootstrapServers;

    public KafkaHealthIndicator(KafkaClients clients) {
        this.admin = clients.newAdmin("health");
        this.bootstrapServers = clients.settings().bootstrapServers();
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("bootstrapServers", bootstrapServers);
        try {
            DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000));
            details.put("clusterId", cluster.clusterId().get(3, TimeUnit.SECONDS));
            details.put("nodes", cluster.nodes().get(3, TimeUnit.SECONDS).size());
            healthStatus = HealthStatus.UP;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            details.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            healthStatus = HealthStatus.DOWN;
        }
        return details;
    }

    @Override
    protected String getName() {
        return "kafka";
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
