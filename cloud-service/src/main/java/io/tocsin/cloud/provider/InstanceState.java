package io.tocsin.cloud.provider;

/**
 * The state of an instance on every provider's common ground. The watcher raises an alarm when an instance leaves
 * {@link #RUNNING} without a Tocsin action, and clears it when it is {@link #RUNNING} again.
 * AWS: pending, running, stopping, stopped, shutting-down → STOPPING, terminated. Compute Engine: PROVISIONING,
 * STAGING → PENDING; RUNNING; STOPPING, SUSPENDING → STOPPING; STOPPED, SUSPENDED, TERMINATED → STOPPED (Compute
 * Engine's TERMINATED is a stopped instance). Azure power states: starting → PENDING; running; stopping,
 * deallocating → STOPPING; stopped, deallocated → STOPPED.
 */
public enum InstanceState {
    PENDING, RUNNING, STOPPING, STOPPED, TERMINATED, UNKNOWN
}
