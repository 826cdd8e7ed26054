package io.tocsin.collector.probe;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One reachability target, {@code tocsin.collector.probes.<name>.*} (see {@code docs/collectors.md},
 * "Reachability probes"). Every interval the probe scheduler runs one cycle over it: the ping check, the SSH
 * check, and one TLS check per endpoint, each enabled by its own setting.
 *
 * @param name         the key under {@code tocsin.collector.probes}
 * @param host         the host probed and the host its samples are about; the name when empty
 * @param cluster      the cluster label of its samples; empty takes {@code tocsin.collector.cluster}
 * @param ping         whether the ping check runs {@code InetAddress.isReachable} (ICMP echo when the JVM may
 *                     open a raw socket, else a TCP connect to the echo port 7)
 * @param pingPort     a TCP port whose connect also counts as an answer to the ping check (0: none); for hosts
 *                     whose firewall drops ICMP but which serve a known port
 * @param sshPort      the port of the SSH check (0, the default: no SSH check; 22 is the usual one)
 * @param tlsEndpoints {@code host:port} of TLS servers whose certificate expiry is read ({@code [v6]:port} for an
 *                     IPv6 literal)
 * @param interval     time between the end of one cycle and the start of the next
 * @param timeout      bound of the ping check and of each TLS check (connect plus handshake)
 * @param sshTimeout   bound of the SSH check (connect plus banner); above the HostSshSlow critical level (12 s) so
 *                     that a slow SSH is measured as slow, not as failed
 */
@EachProperty("tocsin.collector.probes")
public record ProbeTarget(
        @Parameter String name,
        @Bindable(defaultValue = "") String host,
        @Bindable(defaultValue = "") String cluster,
        @Bindable(defaultValue = "true") boolean ping,
        @Bindable(defaultValue = "0") int pingPort,
        @Bindable(defaultValue = "0") int sshPort,
        @Bindable(defaultValue = "") List<String> tlsEndpoints,
        @Bindable(defaultValue = "30s") Duration interval,
        @Bindable(defaultValue = "5s") Duration timeout,
        @Bindable(defaultValue = "20s") Duration sshTimeout) {

    public ProbeTarget {
        host = host == null || host.isBlank() ? name : host.strip();
        cluster = cluster == null ? "" : cluster.strip();
        tlsEndpoints = tlsEndpoints == null ? List.of()
                : tlsEndpoints.stream().map(String::strip).filter(e -> !e.isEmpty()).toList();
    }

    /** The configuration errors of this target, each naming its key; empty when it can run. */
    public List<String> problems() {
        String prefix = "tocsin.collector.probes." + name + ".";
        List<String> problems = new ArrayList<>();
        if (host.length() > 253 || host.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            problems.add(prefix + "host must be a host name or address, was '" + host + "'");
        }
        port(problems, prefix + "ping-port", pingPort);
        port(problems, prefix + "ssh-port", sshPort);
        for (int i = 0; i < tlsEndpoints.size(); i++) {
            try {
                Endpoint.parse(tlsEndpoints.get(i));
            } catch (IllegalArgumentException e) {
                problems.add(prefix + "tls-endpoints[" + i + "] " + e.getMessage());
            }
        }
        positive(problems, prefix + "interval", interval);
        positive(problems, prefix + "timeout", timeout);
        positive(problems, prefix + "ssh-timeout", sshTimeout);
        if (!ping && pingPort == 0 && sshPort == 0 && tlsEndpoints.isEmpty()) {
            problems.add("tocsin.collector.probes." + name + " has nothing to probe: set ping, ping-port, ssh-port or tls-endpoints");
        }
        return problems;
    }

    /** The endpoints of the TLS checks (valid once {@link #problems()} is empty). */
    public List<Endpoint> endpoints() {
        return tlsEndpoints.stream().map(Endpoint::parse).toList();
    }

    private static void port(List<String> problems, String key, int port) {
        if (port < 0 || port > 65_535) {
            problems.add(key + " must be a port from 1 to 65535 (or 0 for none), was " + port);
        }
    }

    private static void positive(List<String> problems, String key, Duration duration) {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            problems.add(key + " must be positive, was " + duration);
        }
    }
}
