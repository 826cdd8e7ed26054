package io.tocsin.bench;

/** The webhook statuses the bench matches: the {@code status} field of ClusterControl's webhook body. */
enum DeliveryStatus {
    /** Sent for an alarm's raise. */
    CREATED,
    /** Sent for an alarm's clear. */
    ENDED
}
