package io.tocsin.dispatcher.delivery;

import io.micronaut.context.env.Environment;
import io.micronaut.core.type.Argument;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Checks where a channel may connect to (DESIGN.md section 8), against CIDR lists
 * {@code tocsin.dispatcher.outbound.deny} (default: link-local {@code 169.254.0.0/16} and {@code fe80::/10},
 * where cloud metadata endpoints live, and {@code 0.0.0.0/8}) and {@code tocsin.dispatcher.outbound.allow}
 * (default empty: anything not denied). Loopback and private ranges are allowed by default: Tocsin often
 * notifies receivers on the same host or network. Every address a host name resolves to must pass; an address
 * in an allow entry passes even when a broader deny entry covers it.
 *
 * <p>The check is made before each attempt; it does not pin the resolved address, so a host name whose DNS
 * answer changes between the check and the connection (DNS rebinding) is not caught. Deny by address, and
 * prefer IP literals for internal receivers, where that matters.
 */
@Singleton
public class OutboundTargets {

    private final List<Cidr> deny;
    private final List<Cidr> allow;

    static final List<String> DEFAULT_DENY = List.of("169.254.0.0/16", "fe80::/10", "0.0.0.0/8");

    @Inject
    public OutboundTargets(Environment environment) {
        // Read through the environment: a placeholder default cannot hold IPv6 blocks (their colons).
        this(environment.getProperty("tocsin.dispatcher.outbound.deny", Argument.listOf(String.class)).orElse(DEFAULT_DENY),
                environment.getProperty("tocsin.dispatcher.outbound.allow", Argument.listOf(String.class)).orElse(List.of()));
    }

    public OutboundTargets(List<String> deny, List<String> allow) {
        this.deny = deny.stream().filter(s -> !s.isBlank()).map(Cidr::parse).toList();
        this.allow = allow.stream().filter(s -> !s.isBlank()).map(Cidr::parse).toList();
    }

    /** The defaults, for code that builds channels without a context (tests, tools). */
    public static OutboundTargets defaults() {
        return new OutboundTargets(DEFAULT_DENY, List.of());
    }

    /**
     * Why {@code host} may not be connected to, or empty when it may. The reason names the address, never the
     * URL it came from.
     */
    public Optional<String> refusal(String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return Optional.empty(); // the connection attempt reports it, as a retryable connect failure
        }
        for (InetAddress address : addresses) {
            boolean allowed = allow.isEmpty() || allow.stream().anyMatch(c -> c.contains(address));
            boolean explicitlyAllowed = allow.stream().anyMatch(c -> c.contains(address));
            boolean denied = deny.stream().anyMatch(c -> c.contains(address)) && !explicitlyAllowed;
            if (denied || !allowed) {
                return Optional.of("target address " + address.getHostAddress()
                        + " is not allowed (tocsin.dispatcher.outbound.allow/deny)");
            }
        }
        return Optional.empty();
    }

    /** The refusal as a permanent delivery result, or null when the host is allowed. */
    public DeliveryResult.Permanent check(String host) {
        return refusal(host).map(reason -> new DeliveryResult.Permanent(DeliveryResult.Failure.CONFIG, reason)).orElse(null);
    }

    /** An address block, {@code 10.0.0.0/8} or {@code fe80::/10}; a bare address is a /32 or /128. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            String[] parts = text.trim().split("/", 2);
            try {
                byte[] network = InetAddress.ofLiteral(parts[0]).getAddress();
                int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("bad prefix length in '" + text + "'");
                }
                return new Cidr(network, prefix);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tocsin.dispatcher.outbound: '" + text
                        + "' is not an address block like 10.0.0.0/8 or fe80::/10", e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int bits = bytes.length * 8;
            BigInteger mask = prefix == 0 ? BigInteger.ZERO
                    : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftRight(bits - prefix).shiftLeft(bits - prefix);
            return new BigInteger(1, bytes).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }
}
