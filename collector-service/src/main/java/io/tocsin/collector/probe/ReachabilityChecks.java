package io.tocsin.collector.probe;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * The ping and SSH checks of a probe cycle. Blocking, bounded by their timeouts; safe to call from any thread.
 */
public final class ReachabilityChecks {

    /** RFC 4253 §4.2: the server may send other lines before its version line; bound what is read while waiting. */
    static final int MAX_BANNER_BYTES = 8 * 1024;

    private ReachabilityChecks() {
    }

    /**
     * One ping check: whether {@code host} answered. With {@code ping}, {@code InetAddress.isReachable(timeout)}:
     * an ICMP echo request when the JVM may open a raw socket (root or CAP_NET_RAW), otherwise a TCP connect to
     * the echo port 7, where a refused connection counts as an answer (the host is up, it said no). When that got
     * no answer and {@code pingPort} is set, a TCP connect to {@code pingPort}: connected or refused is an
     * answer; a timeout, "no route" or "network unreachable" is not. At most two timeouts long.
     *
     * @throws IOException when the host name does not resolve (the caller counts it as no answer, and says why)
     */
    public static boolean answers(String host, boolean ping, int pingPort, Duration timeout) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        if (ping && address.isReachable(millis(timeout))) {
            return true;
        }
        if (pingPort > 0) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, pingPort), millis(timeout));
                return true;
            } catch (ConnectException refused) {
                return true; // a TCP reset came back: the host is there
            } catch (IOException noAnswer) {
                return false;
            }
        }
        return false;
    }

    /**
     * One SSH check: connects to {@code host:port} and reads until the server's identification line
     * ({@code SSH-protoversion-softwareversion}, RFC 4253 §4.2) starts. No byte is sent, no authentication is
     * tried: this measures how long a client waits before it can start the key exchange, the part of
     * ClusterControl's "time to SSH into a host" that a collector can see without credentials.
     *
     * @return the time from the start of the connect to the banner's arrival
     * @throws IOException when the connect fails, the server closes, sends no {@code SSH-} line within
     *                     {@link #MAX_BANNER_BYTES}, or {@code timeout} passes (all counted as a failed check)
     */
    public static Duration sshBanner(String host, int port, Duration timeout) throws IOException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(host), port), millis(timeout));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[512];
            StringBuilder line = new StringBuilder();
            int total = 0;
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException("no SSH banner within " + timeout);
                }
                socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
                int read;
                try {
                    read = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    throw new SocketTimeoutException("no SSH banner within " + timeout);
                }
                if (read < 0) {
                    throw new IOException("the server closed the connection before an SSH banner");
                }
                for (int i = 0; i < read; i++) {
                    char c = (char) (buffer[i] & 0xff);
                    if (c == '\n') {
                        line.setLength(0);
                    } else if (line.length() < 4) {
                        line.append(c);
                        if (line.toString().equals("SSH-")) {
                            return Duration.ofNanos(System.nanoTime() - start);
                        }
                    }
                }
                total += read;
                if (total > MAX_BANNER_BYTES) {
                    throw new IOException("no SSH banner in the first " + MAX_BANNER_BYTES + " bytes: not an SSH server");
                }
            }
        }
    }

    static int millis(Duration timeout) {
        return (int) Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE);
    }
}
