package io.tocsin.collector.ingest.alertmanager;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.util.List;
import java.util.Locale;

/**
 * Alertmanager ingest ({@code tocsin.collector.ingest.alertmanager.*}). Prometheus has no fixed severity vocabulary, so
 * which {@code severity} label values page is configuration.
 *
 * @param criticalSeverities values of the alert label {@code severity} (any case) that make a CRITICAL alarm;
 *                           every other value, and no label, makes a WARNING
 * @param defaultComponent   the component of an alert without a {@code component} label
 */
@ConfigurationProperties("tocsin.collector.ingest.alertmanager")
public record AlertmanagerSettings(
        @Bindable(defaultValue = "critical,page,error,high") List<String> criticalSeverities,
        @Bindable(defaultValue = "Host") String defaultComponent) {

    public AlertmanagerSettings {
        criticalSeverities = criticalSeverities == null ? List.of()
                : criticalSeverities.stream().map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
        if (defaultComponent == null || defaultComponent.isBlank()) {
            throw new IllegalArgumentException("tocsin.collector.ingest.alertmanager.default-component must not be empty");
        }
        defaultComponent = defaultComponent.strip();
    }

    /** Whether a {@code severity} label value makes a CRITICAL alarm. */
    boolean isCritical(String severity) {
        return severity != null && criticalSeverities.contains(severity.strip().toLowerCase(Locale.ROOT));
    }
}
