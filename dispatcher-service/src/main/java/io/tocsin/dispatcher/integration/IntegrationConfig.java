package io.tocsin.dispatcher.integration;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One integration as the delivery engine and the channels see it: where alarm events go, which of them, and the
 * channel's settings with secrets in clear text (decrypted in memory only). Integrations come from configuration
 * ({@code tocsin.dispatcher.integrations.<name>.*}, read-only) or from the integrations API (stored in
 * {@code tocsin.integrations}).
 *
 * @param id        stable id: the name for declared integrations, a generated id for stored ones
 * @param name      human-readable name; names the integration in logs, metrics and dead letters
 * @param service   the channel: {@code webhook}, {@code email}, {@code snmp}, {@code plugin}
 * @param settings  the channel's settings by name ({@code url}, {@code smtp-host}, ...); secret ones in clear
 *                  text here and nowhere else
 * @param clusters  clusters whose events are sent (exact names); empty sends every cluster's
 * @param events    event filters, case-insensitive: {@code All Events}, {@code All Warning Events},
 *                  {@code All Critical Events} or a category name (Network, Host, ...); empty means All Events
 * @param enabled   whether events are sent at all
 * @param sendEnded whether ENDED events are sent, besides CREATED
 * @param backfill  whether the alarms open when the integration was created are sent to it first
 * @param createdAt alarms opened before this are not sent (ClusterControl's semantics) unless backfilled;
 *                  {@link Instant#EPOCH} for declared integrations, which get every alarm
 * @param declared  true when it comes from configuration: the API shows it but cannot change it
 */
public record IntegrationConfig(String id, String name, String service, Map<String, String> settings,
                                List<String> clusters, List<String> events, boolean enabled, boolean sendEnded,
                                boolean backfill, Instant createdAt, boolean declared) {

    /** The configuration prefix of declared integrations. */
    public static final String PREFIX = "tocsin.dispatcher.integrations.";

    public IntegrationConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        service = service == null ? "" : service;
        settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(settings));
        clusters = clusters == null ? List.of() : List.copyOf(clusters);
        events = events == null ? List.of() : List.copyOf(events);
        createdAt = createdAt == null ? Instant.EPOCH : createdAt;
    }

    /** A declared integration with the given settings, enabled, sending ENDED, every cluster and event. */
    public static IntegrationConfig declared(String name, String service, Map<String, String> settings) {
        return new IntegrationConfig(name, name, service, settings, List.of(), List.of(), true, true, false,
                Instant.EPOCH, true);
    }

    /** A setting's value, or null when it is absent or blank. */
    public String setting(String name) {
        String value = settings.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    /** A setting's value, or {@code fallback} when it is absent or blank. */
    public String setting(String name, String fallback) {
        String value = setting(name);
        return value == null ? fallback : value;
    }

    /**
     * Where a setting is given, for error messages: {@code tocsin.dispatcher.integrations.ops.url} for a
     * declared integration, {@code config.url} for one from the API.
     */
    public String key(String setting) {
        return declared ? PREFIX + name + "." + setting : "config." + setting;
    }

    /** Settings are left out: they may hold secrets. */
    @Override
    public String toString() {
        return "Integration[" + name + " (" + service + "), id " + id + "]";
    }
}
