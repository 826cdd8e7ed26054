package io.tocsin.collector.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tocsin.testing.Eventually;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The ping, SSH and TLS checks against real local servers and addresses. */
class ProbeChecksTest {

    /** Class E, reserved: no host answers it (RFC 1112 §4); isReachable gets no ICMP reply within the timeout. */
    static final String UNROUTABLE_V4 = "240.0.0.1";
    /** The IPv6 discard-only prefix (RFC 6666): never routed. */
    static final String DISCARD_V6 = "100::1";

    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void pingOfTheLoopbackAnswersAndOfAnUnroutableAddressDoesNot() throws Exception {
        assertThat(ReachabilityChecks.answers("127.0.0.1", true, 0, Duration.ofSeconds(2))).isTrue();
        long start = System.nanoTime();
        assertThat(ReachabilityChecks.answers(UNROUTABLE_V4, true, 0, Duration.ofMillis(500))).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("bounded by the timeout").isLessThan(Duration.ofSeconds(3));
        assertThatThrownBy(() -> ReachabilityChecks.answers("no-such-host.invalid", true, 0, Duration.ofMillis(500)))
                .isInstanceOf(UnknownHostException.class);
    }

    @Test
    void aTcpPortCountsAsAnAnswerWhenItAcceptsOrRefuses() throws Exception {
        try (ServerSocket listening = new ServerSocket(0)) {
            assertThat(ReachabilityChecks.answers("127.0.0.1", false, listening.getLocalPort(), Duration.ofSeconds(2))).isTrue();
        }
        assertThat(ReachabilityChecks.answers("127.0.0.1", false, closedPort(), Duration.ofSeconds(2)))
                .as("a refused connect means the host is up").isTrue();
        assertThat(ReachabilityChecks.answers(DISCARD_V6, false, 22, Duration.ofMillis(500))).as("no route").isFalse();
        assertThat(ReachabilityChecks.answers("127.0.0.1", false, 0, Duration.ofMillis(500))).as("nothing to check").isFalse();
    }

    @Test
    void sshLatencyIsTheTimeToTheBanner() throws Exception {
        try (FakeSshServer server = new FakeSshServer(Duration.ofMillis(400), false)) {
            Duration latency = ReachabilityChecks.sshBanner("127.0.0.1", server.port(), Duration.ofSeconds(5));
            assertThat(latency).isBetween(Duration.ofMillis(400), Duration.ofMillis(3_000));

            server.delay = Duration.ZERO;
            server.banner = "Welcome to the test host\r\nSSH-2.0-OpenSSH_9.6\r\n";
            assertThat(ReachabilityChecks.sshBanner("localhost", server.port(), Duration.ofSeconds(5)))
                    .as("lines before the version line are allowed (RFC 4253 4.2)").isLessThan(Duration.ofMillis(400));
        }
    }

    @Test
    void aSilentServerAClosedPortOrANonSshServerFail() throws Exception {
        try (FakeSshServer silent = new FakeSshServer(Duration.ZERO, true)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> ReachabilityChecks.sshBanner("127.0.0.1", silent.port(), Duration.ofMillis(600)))
                    .isInstanceOf(SocketTimeoutException.class).hasMessageContaining("no SSH banner within");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(550), Duration.ofSeconds(3));
        }
        assertThatThrownBy(() -> ReachabilityChecks.sshBanner("127.0.0.1", closedPort(), Duration.ofSeconds(2)))
                .isInstanceOf(IOException.class);
        try (FakeSshServer http = new FakeSshServer(Duration.ZERO, false)) {
            http.banner = "HTTP/1.1 400 Bad Request\r\n" + "X-Filler: yes\r\n".repeat(1_000);
            assertThatThrownBy(() -> ReachabilityChecks.sshBanner("127.0.0.1", http.port(), Duration.ofSeconds(5)))
                    .hasMessageContaining("not an SSH server");
        }
    }

    @Test
    void tlsDaysLeftIsTheLeafCertificatesExpiryWithSniAndNoDataSent() throws Exception {
        try (TestTlsServer server = new TestTlsServer(45)) {
            Instant now = Instant.now();
            double days = TlsCertificateCheck.daysLeft(new Endpoint("localhost", server.port()), Duration.ofSeconds(5), now);
            assertThat(days).as("keytool -validity 45, issued shortly before").isCloseTo(45.0, within(0.01)).isLessThanOrEqualTo(45.0);
            assertThat(server.serverNames).containsExactly("localhost");
            Eventually.within(Duration.ofSeconds(5), () -> assertThat(server.bytesReceived).containsExactly(0));

            assertThat(TlsCertificateCheck.daysLeft(new Endpoint("127.0.0.1", server.port()), Duration.ofSeconds(5), now.plus(Duration.ofDays(50))))
                    .as("negative once expired").isCloseTo(-5.0, within(0.01));
            assertThat(server.serverNames).as("no SNI for an IP literal").containsExactly("localhost");
        }
    }

    @Test
    void tlsCheckFailsOnAPlainServerAndOnASilentOne() throws Exception {
        try (FakeSshServer plain = new FakeSshServer(Duration.ZERO, false)) {
            assertThatThrownBy(() -> TlsCertificateCheck.daysLeft(new Endpoint("127.0.0.1", plain.port()), Duration.ofSeconds(3), Instant.now()))
                    .isInstanceOf(IOException.class);
        }
        try (FakeSshServer silent = new FakeSshServer(Duration.ZERO, true)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> TlsCertificateCheck.daysLeft(new Endpoint("127.0.0.1", silent.port()), Duration.ofMillis(600), Instant.now()))
                    .isInstanceOf(IOException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void endpointsParseAndPrint() {
        assertThat(Endpoint.parse("db1.example.com:443")).isEqualTo(new Endpoint("db1.example.com", 443));
        assertThat(Endpoint.parse("[::1]:8443")).satisfies(e -> {
            assertThat(e.host()).isEqualTo("::1");
            assertThat(e.isAddressLiteral()).isTrue();
            assertThat(e).hasToString("[::1]:8443");
        });
        assertThat(Endpoint.parse("10.0.0.5:3306").isAddressLiteral()).isTrue();
        assertThat(Endpoint.parse("db1:3306").isAddressLiteral()).isFalse();
        assertThatThrownBy(() -> Endpoint.parse("db1")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> Endpoint.parse("db1:https")).hasMessageContaining("port number");
        assertThatThrownBy(() -> Endpoint.parse("db1:70000")).hasMessageContaining("1 to 65535");
        assertThatThrownBy(() -> Endpoint.parse("::1:443")).hasMessageContaining("brackets");
        assertThatThrownBy(() -> Endpoint.parse(":443")).hasMessageContaining("host:port");
    }
}
