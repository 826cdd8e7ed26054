package io.tocsin.rules.silence;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Limits of the silences API ({@code tocsin.rules.silences.*}).
 *
 * @param maxDuration the longest window a silence may have ({@code endsAt - startsAt}); a longer one is refused with
 *                    400 naming {@code endsAt} or {@code duration}. A forgotten silence stops notifications, so
 *                    windows are bounded: renew a long maintenance rather than silence an alarm for ever.
 * @param maxOpen     how many silences may be pending or active at once; creating one more is refused with 409. Every
 *                    alarm event is checked against each of them, so the number is bounded.
 */
@ConfigurationProperties("tocsin.rules.silences")
public record SilenceSettings(@Bindable(defaultValue = "30d") Duration maxDuration,
                              @Bindable(defaultValue = "1000") int maxOpen) {
}
