package io.tocsin.rules.view;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Parameter;
import java.util.List;

/**
 * The filters of {@code GET /api/v1/alarms} and {@code /api/v1/alarms/status}, bound from the query string. Every
 * list takes several values, comma-separated or repeated, and matches when any value does; different parameters
 * must all match. See {@link AlarmFilter} for how each is compared.
 */
@Introspected
public record AlarmFilterParameters(
        @Nullable @QueryValue @Parameter(description = "WARNING or CRITICAL (any case)") List<String> severity,
        @Nullable @QueryValue @Parameter(description = "Event category, e.g. Host, Database Health (any case)") List<String> category,
        @Nullable @QueryValue @Parameter(description = "Alarm type; glob with * and ?") List<String> type,
        @Nullable @QueryValue @Parameter(description = "Host name; glob with * and ?") List<String> hostname,
        @Nullable @QueryValue @Parameter(description = "Cluster; glob with * and ?") List<String> cluster,
        @Nullable @QueryValue @Parameter(description = "Producer of the alarm; glob with * and ?") List<String> source,
        @Nullable @QueryValue @Parameter(description = "Area (component), e.g. Host; glob with * and ?") List<String> component,
        @Nullable @QueryValue @Parameter(description = "true: only silenced alarms; false: only those notified") String silenced,
        @Nullable @QueryValue @Parameter(description = "Free text, any case, in title, message, hostname or type") String q) {

    /** No filter at all. */
    public static AlarmFilterParameters none() {
        return new AlarmFilterParameters(null, null, null, null, null, null, null, null, null);
    }
}
