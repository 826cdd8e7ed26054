package io.tocsin.dispatcher.integration;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.tocsin.dispatcher.delivery.DeliveryResult;

/**
 * The answer to a test notification: {@code {"ok": true}}, or {@code {"ok": false, "status": 401, "error": "HTTP 401"}}.
 * The error is the channel's reason, which never contains a secret.
 */
@Serdeable
@Schema(name = "TestResult")
public record TestResult(boolean ok,
                         @Nullable @Schema(description = "The receiver's HTTP status or the service's error code, when there was one") Integer status,
                         @Nullable String error) {

    public static TestResult of(DeliveryResult result) {
        return switch (result) {
            case DeliveryResult.Delivered d -> new TestResult(true, null, null);
            case DeliveryResult.Retryable r -> new TestResult(false, r.status() == 0 ? null : r.status(), r.reason());
            case DeliveryResult.Permanent p -> new TestResult(false, p.status() == 0 ? null : p.status(), p.reason());
        };
    }
}
