package io.tocsin.dispatcher.integration;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.schema.wire.FieldError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live set of integrations: those declared in configuration (checked when the application starts, so a typo
 * in a service name or a missing URL fails the start with a message naming the key) and those stored through
 * the API in {@code tocsin.integrations} ({@link #put}, {@link #remove}, applied by the integration store as it
 * reads the topic). Reads are lock-free snapshots: the delivery engine calls {@link #all()} for every event.
 */
@Context
public class IntegrationRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(IntegrationRegistry.class);

    private final Map<String, Notifier> notifiers;
    private final Map<String, IntegrationConfig> declared;
    private final Map<String, IntegrationConfig> stored = new ConcurrentHashMap<>();
    private volatile List<IntegrationConfig> snapshot;

    public IntegrationRegistry(DeclaredIntegrations declaredIntegrations, List<Notifier> notifiers) {
        this.notifiers = notifiers.stream().collect(Collectors.toMap(Notifier::service, n -> n, (a, b) -> {
            throw new IllegalStateException("two notifiers for service '" + a.service() + "'");
        }, TreeMap::new));
        Map<String, IntegrationConfig> byId = new TreeMap<>();
        for (IntegrationConfig declaredIntegration : declaredIntegrations.all()) {
            IntegrationConfig integration = withChannelNames(declaredIntegration);
            List<FieldError> errors = validate(integration);
            if (!errors.isEmpty()) {
                throw new ConfigurationException("integration '" + integration.name() + "': " + errors.stream()
                        .map(error -> error.field() + " " + error.message()).collect(Collectors.joining("; ")));
            }
            byId.put(integration.id(), integration);
        }
        this.declared = Map.copyOf(byId);
        rebuild();
        LOG.info("Declared integrations: {}", declared.isEmpty() ? "none" : declared.values().stream()
                .map(i -> i.name() + " (" + i.service() + (i.enabled() ? "" : ", disabled") + ")")
                .collect(Collectors.joining(", ")));
    }

    /**
     * A declared integration whose hyphenated setting names are the channel's camelCase ones: an environment
     * variable {@code TOCSIN_DISPATCHER_INTEGRATIONS_PD_ROUTING_KEY} arrives as {@code routing-key}, the PagerDuty
     * channel's setting is {@code routingKey}. Names the channel knows as they are (e.g. {@code smtp-host}) stay.
     */
    private IntegrationConfig withChannelNames(IntegrationConfig integration) {
        Notifier notifier = integration.service() == null ? null : notifiers.get(integration.service());
        if (notifier == null) {
            return integration;
        }
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        integration.settings().forEach((name, value) -> {
            String camel = camelCase(name);
            settings.put(!notifier.knows(name) && !name.equals(camel) && notifier.knows(camel) ? camel : name, value);
        });
        return new IntegrationConfig(integration.id(), integration.name(), integration.service(), Map.copyOf(settings),
                integration.clusters(), integration.events(), integration.enabled(), integration.sendEnded(), integration.backfill(),
                integration.createdAt(), integration.declared());
    }

    /** {@code routing-key} or {@code routing.key} as {@code routingKey}. */
    static String camelCase(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = false;
        for (char c : name.toCharArray()) {
            if (c == '-' || c == '.' || c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    /** Every integration, declared and stored, sorted by name: deliveries of one event happen in a stable order. */
    public List<IntegrationConfig> all() {
        return snapshot;
    }

    public Optional<IntegrationConfig> find(String id) {
        IntegrationConfig integration = declared.get(id);
        return Optional.ofNullable(integration != null ? integration : stored.get(id));
    }

    /** Adds or replaces a stored integration (settings decrypted). Declared ids cannot be replaced. */
    public void put(IntegrationConfig integration) {
        if (declared.containsKey(integration.id())) {
            LOG.warn("Ignoring stored integration {}: its id is declared in configuration", integration.id());
            return;
        }
        stored.put(integration.id(), integration);
        rebuild();
    }

    public void remove(String id) {
        if (stored.remove(id) != null) {
            rebuild();
        }
    }

    /** The notifier of a service, when there is one. */
    public Optional<Notifier> notifier(String service) {
        return Optional.ofNullable(service).map(notifiers::get);
    }

    /** The notifier of the integration's service; always present for a validated integration. */
    public Notifier notifierFor(IntegrationConfig integration) {
        return notifier(integration.service()).orElseThrow(
                () -> new IllegalStateException("no notifier for integration '" + integration.name() + "'"));
    }

    /**
     * Checks the integration's service and its channel's settings; fields are named as the user gave them
     * ({@link IntegrationConfig#key}), so {@code config.url} for the API and the full property for configuration.
     */
    public List<FieldError> validate(IntegrationConfig integration) {
        String service = integration.service();
        String supported = "; supported services: " + String.join(", ", notifiers.keySet());
        String serviceField = integration.declared() ? IntegrationConfig.PREFIX + integration.name() + ".service" : "service";
        if (service == null || service.isBlank()) {
            return List.of(new FieldError(serviceField, "is required" + supported));
        }
        Notifier notifier = notifiers.get(service);
        if (notifier == null) {
            return List.of(new FieldError(serviceField, "unsupported service '" + service + "'" + supported));
        }
        List<FieldError> errors = new ArrayList<>();
        Map<String, String> channelSettings = new java.util.LinkedHashMap<>(integration.settings());
        checkRate(channelSettings.remove(RATE_LIMIT), RATE_LIMIT, false, integration, errors);
        checkRate(channelSettings.remove(RATE_BURST), RATE_BURST, true, integration, errors);
        channelSettings.keySet().stream().filter(name -> !notifier.knows(name)).forEach(name -> errors.add(new FieldError(
                integration.key(name), "is not a setting of the " + service + " channel (see docs/integrations/" + service + ".md)")));
        for (FieldError error : notifier.validate(integration.settings())) {
            errors.add(new FieldError(integration.key(error.field()), error.message()));
        }
        return errors;
    }

    /** The engine's own settings, valid for every channel: the integration's token bucket. */
    static final String RATE_LIMIT = "rate-limit";
    static final String RATE_BURST = "rate-burst";

    /**
     * The integration's rate: its {@code rate-limit} (per second) and {@code rate-burst} settings (validated with
     * the integration), each defaulting to its channel's; a burst defaults to one second's worth when only the
     * rate is set.
     */
    public Notifier.RateLimit rateOf(IntegrationConfig integration) {
        Notifier.RateLimit fallback = notifier(integration.service()).map(Notifier::defaultRateLimit)
                .orElse(new Notifier.RateLimit(100, 200));
        String rate = integration.setting(RATE_LIMIT);
        String burst = integration.setting(RATE_BURST);
        double perSecond = rate == null ? fallback.perSecond() : Double.parseDouble(rate.trim());
        int size = burst != null ? Integer.parseInt(burst.trim())
                : rate == null ? fallback.burst() : Math.max(1, (int) Math.ceil(perSecond));
        return new Notifier.RateLimit(perSecond, size);
    }

    private static void checkRate(String value, String name, boolean whole, IntegrationConfig integration, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return;
        }
        try {
            double number = whole ? Integer.parseInt(value.trim()) : Double.parseDouble(value.trim());
            if (!(number > 0) || Double.isInfinite(number)) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            errors.add(new FieldError(integration.key(name), whole ? "must be a whole number of events, at least 1"
                    : "must be a number of events per second, more than 0"));
        }
    }

    private void rebuild() {
        List<IntegrationConfig> all = new ArrayList<>(declared.values());
        all.addAll(stored.values());
        all.sort(Comparator.comparing(IntegrationConfig::name).thenComparing(IntegrationConfig::id));
        snapshot = List.copyOf(all);
    }
}
