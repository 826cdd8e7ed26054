package io.tocsin.dispatcher;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.util.List;

/**
 * One configured integration ({@code tocsin.dispatcher.integrations.<name>.*}): where alarm events go and which
 * of them. Checked at start by {@link IntegrationRegistry}, which fails the start on an unknown service or a
 * channel setting the channel rejects (e.g. a webhook without an http(s) URL).
 *
 * @param name      the key under {@code integrations}; names the integration in logs, metrics and dead letters
 * @param service   the channel: {@code webhook} (the only one so far)
 * @param url       where the channel sends; may carry a token, so it is never logged nor put in an error reason
 * @param clusters  clusters whose events are sent (exact names); empty sends every cluster's
 * @param events    event filters, case-insensitive: {@code All Events}, {@code All Warning Events},
 *                  {@code All Critical Events} or a category name (Network, Host, ...); empty means All Events
 * @param enabled   whether events are sent at all
 * @param sendEnded whether ENDED events are sent, besides CREATED
 */
@EachProperty("tocsin.dispatcher.integrations")
public record IntegrationConfig(@Parameter String name,
                                @Nullable String service,
                                @Nullable String url,
                                @Nullable List<String> clusters,
                                @Nullable List<String> events,
                                @Bindable(defaultValue = "true") boolean enabled,
                                @Bindable(defaultValue = "true") boolean sendEnded) {

    public IntegrationConfig {
        // Service is nullable only so a missing one is reported by IntegrationRegistry with the integration's
        // name, instead of as an anonymous binding failure.
        clusters = clusters == null ? List.of() : List.copyOf(clusters);
        events = events == null ? List.of() : List.copyOf(events);
    }

    /** The configuration key of one of this integration's settings, for error messages. */
    public String key(String setting) {
        return "tocsin.dispatcher.integrations." + name + "." + setting;
    }
}
