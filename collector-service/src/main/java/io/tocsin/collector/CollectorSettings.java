package io.tocsin.collector;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who this collector is ({@code tocsin.collector.*}): the names its own samples and alarms carry.
 *
 * @param hostname the host its host collector and process monitor report about; empty (the default) takes the
 *                 machine's host name, as {@code hostname} prints it
 * @param cluster  the cluster label of its samples and alarms (integrations filter on it); empty by default
 * @param source   the source of the alarms it raises itself (ProcFailedRestart); empty (the default) gives
 *                 {@code collector-<hostname>}
 */
@ConfigurationProperties("tocsin.collector")
public record CollectorSettings(
        @Bindable(defaultValue = "") String hostname,
        @Bindable(defaultValue = "") String cluster,
        @Bindable(defaultValue = "") String source) {

    public CollectorSettings {
        hostname = hostname == null || hostname.isBlank() ? machineHostname() : hostname.strip();
        cluster = cluster == null ? "" : cluster.strip();
        source = source == null || source.isBlank() ? "collector-" + hostname : source.strip();
    }

    /** The machine's host name: the kernel's ({@code /proc/sys/kernel/hostname}, what {@code hostname} prints), else the resolver's. */
    static String machineHostname() {
        try {
            String kernel = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
            if (!kernel.isEmpty()) {
                return kernel;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // Not Linux: fall back to the resolver.
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "localhost" : env;
        }
    }
}
