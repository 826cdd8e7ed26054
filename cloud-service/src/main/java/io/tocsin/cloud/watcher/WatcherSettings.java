package io.tocsin.cloud.watcher;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The instance watcher's settings ({@code tocsin.cloud.watcher.*}, docs/cloud.md "Instance watcher").
 *
 * @param enabled     whether the watcher runs at all; with no {@code credentials} it watches nothing either way
 * @param interval    time from the end of one poll to the start of the next (one poll at a time)
 * @param credentials ids or names of the stored credentials whose instances are watched. Empty (the default) watches
 *                    none: every poll is a list call per credential and location, billed or rate limited by some
 *                    providers, so watching is opt-in
 * @param locations   per credential (key: its id or name as in {@code credentials}), the locations to list (regions,
 *                    zones or Azure locations); a credential without an entry is listed at its default region, or
 *                    everywhere when it has none (Compute Engine's aggregated list)
 */
@ConfigurationProperties("tocsin.cloud.watcher")
public record WatcherSettings(@Bindable(defaultValue = "true") boolean enabled,
                              @Bindable(defaultValue = "60s") Duration interval,
                              @Nullable List<String> credentials,
                              @Nullable Map<String, List<String>> locations) {

    public WatcherSettings {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("tocsin.cloud.watcher.interval must be a positive duration, e.g. 60s");
        }
        credentials = credentials == null ? List.of() : credentials.stream().map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
        locations = locations == null ? Map.of() : Map.copyOf(locations);
    }

    /**
     * The locations to list for the credential watched as {@code entry} (an id or name), or a list holding only
     * {@code null} (the credential's default region, or everywhere) when none are set for it.
     */
    public List<String> locationsOf(String entry, String id, String name) {
        List<String> set = locations.get(entry);
        if (set == null) {
            set = locations.get(id);
        }
        if (set == null && name != null) {
            set = locations.get(name);
        }
        if (set == null || set.isEmpty()) {
            return java.util.Collections.singletonList(null);
        }
        return set.stream().map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
    }
}
