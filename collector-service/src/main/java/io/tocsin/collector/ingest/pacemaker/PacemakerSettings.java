package io.tocsin.collector.ingest.pacemaker;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The Pacemaker ingest endpoint ({@code tocsin.collector.ingest.pacemaker.*}).
 *
 * @param defaultSource    the source of the alarms when the request names none (query parameter {@code source} or
 *                         field {@code tocsin_source}); one Pacemaker cluster per source keeps alarm keys apart
 * @param sequenceGateSize how many (reporting node, alarm) pairs the sequence gate remembers; the least recently
 *                         used one is forgotten beyond that
 * @param maxFields        fields one request may carry (Pacemaker sends at most 19 {@code CRM_alert_*} variables)
 */
@ConfigurationProperties("tocsin.collector.ingest.pacemaker")
public record PacemakerSettings(
        @Bindable(defaultValue = "pacemaker") String defaultSource,
        @Bindable(defaultValue = "10000") int sequenceGateSize,
        @Bindable(defaultValue = "64") int maxFields) {

    public PacemakerSettings {
        defaultSource = defaultSource == null || defaultSource.isBlank() ? "pacemaker" : defaultSource.strip();
        if (sequenceGateSize < 1) {
            throw new IllegalArgumentException("tocsin.collector.ingest.pacemaker.sequence-gate-size must be at least 1, was " + sequenceGateSize);
        }
        if (maxFields < 1) {
            throw new IllegalArgumentException("tocsin.collector.ingest.pacemaker.max-fields must be at least 1, was " + maxFields);
        }
    }
}
