package io.tocsin.dispatcher;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.tocsin.dispatcher.delivery.Notifier;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured integrations, checked when the application starts ({@code @Context}), so a typo in a service
 * name or a missing webhook URL fails the start with a message naming the integration, instead of
 * dead-lettering every event at run time. Integrations are kept sorted by name: deliveries of one event then
 * happen in a stable order.
 */
@Context
public class IntegrationRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(IntegrationRegistry.class);

    private final List<IntegrationConfig> integrations;
    private final Map<String, Notifier> notifiers;

    public IntegrationRegistry(List<IntegrationConfig> integrations, List<Notifier> notifiers) {
        this.notifiers = notifiers.stream().collect(Collectors.toMap(Notifier::service, n -> n, (a, b) -> {
            throw new IllegalStateException("two notifiers for service '" + a.service() + "'");
        }, TreeMap::new));
        this.integrations = integrations.stream().sorted(Comparator.comparing(IntegrationConfig::name)).toList();
        this.integrations.forEach(this::validate);
        LOG.info("Integrations: {}", this.integrations.isEmpty() ? "none"
                : this.integrations.stream().map(i -> i.name() + " (" + i.service() + (i.enabled() ? "" : ", disabled") + ")")
                        .collect(Collectors.joining(", ")));
    }

    public List<IntegrationConfig> all() {
        return integrations;
    }

    /** The notifier of the integration's service; always present for a validated integration. */
    public Notifier notifierFor(IntegrationConfig integration) {
        return Optional.ofNullable(integration.service()).map(notifiers::get).orElseThrow(
                () -> new IllegalStateException("no notifier for integration '" + integration.name() + "'"));
    }

    private void validate(IntegrationConfig integration) {
        String service = integration.service();
        if (service == null || service.isBlank()) {
            throw new ConfigurationException("integration '" + integration.name() + "': " + integration.key("service")
                    + " is required; supported services: " + String.join(", ", notifiers.keySet()));
        }
        Notifier notifier = notifiers.get(service);
        if (notifier == null) {
            throw new ConfigurationException("integration '" + integration.name() + "': unsupported service '" + service
                    + "' (" + integration.key("service") + "); supported services: " + String.join(", ", notifiers.keySet()));
        }
        try {
            notifier.validate(integration);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }
}
